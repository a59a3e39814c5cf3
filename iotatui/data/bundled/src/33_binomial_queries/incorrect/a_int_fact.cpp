// BUG: factorials are kept in int, so f[i - 1] * i overflows before the modulo
#include <bits/stdc++.h>
using namespace std;
const int MOD = 1000000007;
const int N = 1000000;
long long power(long long b, long long e) {
    long long r = 1;
    while (e) { if (e & 1) r = r * b % MOD; b = b * b % MOD; e >>= 1; }
    return r;
}
int f[N + 1];
int main() {
    f[0] = 1;
    for (int i = 1; i <= N; i++) f[i] = f[i - 1] * i % MOD;
    int q;
    scanf("%d", &q);
    while (q--) {
        int n, k;
        scanf("%d %d", &n, &k);
        if (k > n) { puts("0"); continue; }
        long long den = (long long)f[k] * f[n - k] % MOD;
        printf("%lld\n", f[n] * power(den, MOD - 2) % MOD);
    }
}
