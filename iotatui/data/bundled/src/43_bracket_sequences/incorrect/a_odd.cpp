// BUG: forgets that odd lengths have no balanced sequences and uses k = n / 2 (rounded down)
#include <bits/stdc++.h>
using namespace std;
const long long MOD = 1000000007;
long long pw(long long b, long long e) {
    long long r = 1;
    for (; e; e >>= 1, b = b * b % MOD) if (e & 1) r = r * b % MOD;
    return r;
}
int main() {
    const int N = 1000001;
    vector<long long> f(N + 1);
    f[0] = 1;
    for (int i = 1; i <= N; i++) f[i] = f[i - 1] * i % MOD;
    int t;
    scanf("%d", &t);
    while (t--) {
        int n;
        scanf("%d", &n);
        int k = n / 2;
        printf("%lld\n", f[2 * k] * pw(f[k] * f[k + 1] % MOD, MOD - 2) % MOD);
    }
}
