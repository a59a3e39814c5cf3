// BUG: the power of five is an int and overflows, turning the loop into garbage
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        long long n;
        scanf("%lld", &n);
        long long z = 0;
        int p = 5;
        for (int k = 0; k < 26 && p <= n; k++) {
            z += n / p;
            p *= 5;
        }
        printf("%lld\n", z);
    }
}
