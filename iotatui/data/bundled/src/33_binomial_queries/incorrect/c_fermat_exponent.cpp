// BUG: the modular inverse uses exponent MOD - 1 (which always gives 1) instead of MOD - 2
#include <bits/stdc++.h>
using namespace std;
const long long MOD = 1000000007;
long long power(long long b, long long e) {
    long long r = 1;
    while (e) { if (e & 1) r = r * b % MOD; b = b * b % MOD; e >>= 1; }
    return r;
}
int main() {
    vector<long long> f(1000001);
    f[0] = 1;
    for (int i = 1; i <= 1000000; i++) f[i] = f[i - 1] * i % MOD;
    int q;
    scanf("%d", &q);
    while (q--) {
        int n, k;
        scanf("%d %d", &n, &k);
        if (k > n) { puts("0"); continue; }
        printf("%lld\n", f[n] * power(f[k] * f[n - k] % MOD, MOD - 1) % MOD);
    }
}
