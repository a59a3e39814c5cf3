#include <cstdio>
// inv[i] = -(M / i) * inv[M % i] mod M gives all inverses in O(N).
const int N = 1000001;
const long long M = 1000000007;
static long long fac[N], ifac[N], inv_[N];
int main() {
    fac[0] = ifac[0] = 1; inv_[1] = 1;
    for (int i = 2; i < N; i++) inv_[i] = (M - (M / i) * inv_[M % i] % M) % M;
    for (int i = 1; i < N; i++) { fac[i] = fac[i - 1] * i % M; ifac[i] = ifac[i - 1] * inv_[i] % M; }
    int q; scanf("%d", &q);
    for (int t = 0; t < q; t++) {
        int n, k; scanf("%d %d", &n, &k);
        long long r = (k < 0 || k > n) ? 0 : fac[n] * ifac[k] % M * ifac[n - k] % M;
        printf("%lld\n", r);
    }
}
