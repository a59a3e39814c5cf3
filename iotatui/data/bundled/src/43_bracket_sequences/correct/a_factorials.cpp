#include <bits/stdc++.h>
using namespace std;
const long long MOD = 1000000007;
long long pw(long long b, long long e) {
    long long r = 1; b %= MOD;
    for (; e; e >>= 1, b = b * b % MOD) if (e & 1) r = r * b % MOD;
    return r;
}
int main() {
    const int N = 1000001;
    vector<long long> f(N + 1), inv(N + 1);
    f[0] = 1;
    for (int i = 1; i <= N; i++) f[i] = f[i - 1] * i % MOD;
    inv[N] = pw(f[N], MOD - 2);
    for (int i = N; i > 0; i--) inv[i - 1] = inv[i] * i % MOD;
    int t;
    scanf("%d", &t);
    while (t--) {
        int n;
        scanf("%d", &n);
        if (n % 2) { puts("0"); continue; }
        int k = n / 2;  // Catalan(k) = (2k)! / (k! (k+1)!)
        printf("%lld\n", f[2 * k] * inv[k] % MOD * inv[k + 1] % MOD);
    }
}
