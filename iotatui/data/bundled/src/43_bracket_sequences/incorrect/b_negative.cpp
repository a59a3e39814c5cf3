// BUG: C(n, n/2) - C(n, n/2 + 1) is taken modulo M without adding M, so the result can be negative
#include <cstdio>
#include <vector>
const long long M = 1000000007;
long long pw(long long b, long long e) { long long r = 1; for (; e; e >>= 1, b = b * b % M) if (e & 1) r = r * b % M; return r; }
int main() {
    const int N = 1000001;
    std::vector<long long> f(N + 1), fi(N + 1);
    f[0] = 1;
    for (int i = 1; i <= N; i++) f[i] = f[i - 1] * i % M;
    fi[N] = pw(f[N], M - 2);
    for (int i = N; i > 0; i--) fi[i - 1] = fi[i] * i % M;
    auto C = [&](int n, int k) { return k < 0 || k > n ? 0LL : f[n] * fi[k] % M * fi[n - k] % M; };
    int t;
    scanf("%d", &t);
    while (t--) {
        int n;
        scanf("%d", &n);
        if (n & 1) { printf("0\n"); continue; }
        printf("%lld\n", (C(n, n / 2) - C(n, n / 2 + 1)) % M);
    }
}
