// BUG: counts the square root of a perfect square twice
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        long long n;
        scanf("%lld", &n);
        long long cnt = 0;
        for (long long i = 1; i * i <= n; i++)
            if (n % i == 0) cnt += 2;
        printf("%lld\n", cnt == 2 && n == 1 ? 1 : cnt);
    }
}
