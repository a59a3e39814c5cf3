// BUG: only 20 bisection steps: the error is about 10^6 / 2^20 ~ 1
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<double> x(n), v(n);
    for (int i = 0; i < n; i++) scanf("%lf %lf", &x[i], &v[i]);
    double lo = 0, hi = 1e6;
    for (int it = 0; it < 20; it++) {
        double t = (lo + hi) / 2, L = -1e18, R = 1e18;
        for (int i = 0; i < n; i++) { L = max(L, x[i] - v[i] * t); R = min(R, x[i] + v[i] * t); }
        if (L <= R) hi = t; else lo = t;
    }
    printf("%.9f\n", (lo + hi) / 2);
}
