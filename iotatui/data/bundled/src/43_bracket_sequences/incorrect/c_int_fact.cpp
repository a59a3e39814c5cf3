// BUG: factorials stored in int: f[i - 1] * i overflows before the modulo is applied
#include <bits/stdc++.h>
using namespace std;
const int MOD = 1000000007;
long long pw(long long b, long long e) {
    long long r = 1;
    for (; e; e >>= 1, b = b * b % MOD) if (e & 1) r = r * b % MOD;
    return r;
}
int f[1000002];
int main() {
    f[0] = 1;
    for (int i = 1; i <= 1000001; i++) f[i] = f[i - 1] * i % MOD;
    int t;
    scanf("%d", &t);
    while (t--) {
        int n;
        scanf("%d", &n);
        if (n % 2) { puts("0"); continue; }
        int k = n / 2;
        printf("%lld\n", (long long)f[2 * k] * pw((long long)f[k] * f[k + 1] % MOD, MOD - 2) % MOD);
    }
}
