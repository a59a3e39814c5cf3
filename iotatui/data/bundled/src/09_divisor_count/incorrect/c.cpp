// BUG: tries every number up to n, too slow for n = 1e12
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        long long n;
        scanf("%lld", &n);
        long long cnt = 0;
        for (long long i = 1; i <= n; i++)
            if (n % i == 0) cnt++;
        printf("%lld\n", cnt);
    }
}
