#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<double> x(n), v(n);
    for (auto &a : x) cin >> a;
    for (auto &a : v) cin >> a;
    double lo = 0, hi = 1e6;
    for (int it = 0; it < 200 && hi - lo > 1e-9; it++) {
        double t = (lo + hi) / 2;
        double L = -1e18, R = 1e18;
        for (int i = 0; i < n; i++) {
            L = max(L, x[i] - v[i] * t);
            R = min(R, x[i] + v[i] * t);
        }
        (L <= R ? hi : lo) = t;
    }
    printf("%.10f\n", (lo + hi) / 2);
}
