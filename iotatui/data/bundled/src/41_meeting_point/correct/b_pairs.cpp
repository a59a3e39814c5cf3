#include <cstdio>
#include <vector>
// Intervals [x - vT, x + vT] share a point iff every two of them intersect (Helly's theorem in 1D),
// so T = max over pairs |x_i - x_j| / (v_i + v_j).
int main() {
    int n;
    scanf("%d", &n);
    std::vector<long long> x(n), v(n);
    for (int i = 0; i < n; i++) scanf("%lld %lld", &x[i], &v[i]);
    double best = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            long long d = x[i] > x[j] ? x[i] - x[j] : x[j] - x[i];
            double t = (double)d / (v[i] + v[j]);
            if (t > best) best = t;
        }
    printf("%.9f\n", best);
}
