#include <cstdio>
#include <cmath>
int main() {
    int m, n;
    scanf("%d %d", &m, &n);
    double ans = 0, prev = 0;
    for (int k = 1; k <= m; k++) {
        double cur = std::pow((double)k / m, n);  // P(max <= k)
        ans += k * (cur - prev);
        prev = cur;
    }
    printf("%.10f\n", ans);
}
