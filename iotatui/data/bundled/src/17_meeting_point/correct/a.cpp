#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<long double> x(n), v(n);
    for (auto &a : x) scanf("%Lf", &a);
    for (auto &a : v) scanf("%Lf", &a);
    long double lo = 0, hi = 2e6;
    for (int it = 0; it < 100; it++) {
        long double t = (lo + hi) / 2, L = -1e18, R = 1e18;
        for (int i = 0; i < n; i++) {
            L = max(L, x[i] - v[i] * t);
            R = min(R, x[i] + v[i] * t);
        }
        if (L <= R) hi = t;
        else lo = t;
    }
    printf("%.12Lf\n", hi);
}
