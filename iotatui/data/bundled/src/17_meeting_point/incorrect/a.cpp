// BUG: only 30 iterations of binary search starting from 2e6 leave an error around 2e-3
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<double> x(n), v(n);
    for (auto &a : x) scanf("%lf", &a);
    for (auto &a : v) scanf("%lf", &a);
    double lo = 0, hi = 2e6;
    for (int it = 0; it < 30; it++) {
        double t = (lo + hi) / 2, L = -1e18, R = 1e18;
        for (int i = 0; i < n; i++) {
            L = max(L, x[i] - v[i] * t);
            R = min(R, x[i] + v[i] * t);
        }
        if (L <= R) hi = t;
        else lo = t;
    }
    printf("%.12f\n", hi);
}
