#include <cstdio>
#include <vector>
// Catalan(k) = C(2k, k) - C(2k, k + 1) (reflection principle).
const long long M = 1000000007;
long long pw(long long b, long long e) { long long r = 1; for (; e; e >>= 1, b = b * b % M) if (e & 1) r = r * b % M; return r; }
int main() {
    int t;
    scanf("%d", &t);
    std::vector<int> q(t);
    int mx = 2;
    for (auto &n : q) { scanf("%d", &n); if (n > mx) mx = n; }
    std::vector<long long> f(mx + 2), fi(mx + 2);
    f[0] = 1;
    for (int i = 1; i <= mx + 1; i++) f[i] = f[i - 1] * i % M;
    fi[mx + 1] = pw(f[mx + 1], M - 2);
    for (int i = mx + 1; i > 0; i--) fi[i - 1] = fi[i] * i % M;
    auto C = [&](int n, int k) { return k < 0 || k > n ? 0LL : f[n] * fi[k] % M * fi[n - k] % M; };
    for (int n : q) {
        if (n & 1) { printf("0\n"); continue; }
        printf("%lld\n", ((C(n, n / 2) - C(n, n / 2 + 1)) % M + M) % M);
    }
}
