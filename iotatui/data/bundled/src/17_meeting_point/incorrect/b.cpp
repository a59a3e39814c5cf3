// BUG: prints the answer with only 3 digits after the decimal point
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<double> x(n), v(n);
    for (auto &a : x) cin >> a;
    for (auto &a : v) cin >> a;
    double lo = 0, hi = 2e6;
    for (int it = 0; it < 100; it++) {
        double t = (lo + hi) / 2, L = -1e18, R = 1e18;
        for (int i = 0; i < n; i++) {
            L = max(L, x[i] - v[i] * t);
            R = min(R, x[i] + v[i] * t);
        }
        if (L <= R) hi = t;
        else lo = t;
    }
    cout << fixed << setprecision(3) << hi << endl;
}
