#include <cstdio>
#include <vector>
// Builds the answer bit by bit from the top: the largest x with enough pieces.
int main() {
    int n; long long k;
    scanf("%d %lld", &n, &k);
    std::vector<long long> L(n);
    for (auto &x : L) scanf("%lld", &x);
    long long x = 0;
    for (int b = 30; b >= 0; b--) {
        long long cand = x | (1LL << b), c = 0;
        for (long long l : L) { c += l / cand; if (c >= k) break; }
        if (c >= k) x = cand;
    }
    printf("%lld\n", x);
}
