// BUG: prints with cout's default 6 significant digits, which loses precision for large answers
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<double> x(n), v(n);
    for (int i = 0; i < n; i++) cin >> x[i] >> v[i];
    double lo = 0, hi = 1e6;
    for (int it = 0; it < 100; it++) {
        double t = (lo + hi) / 2, L = -1e18, R = 1e18;
        for (int i = 0; i < n; i++) { L = max(L, x[i] - v[i] * t); R = min(R, x[i] + v[i] * t); }
        if (L <= R) hi = t; else lo = t;
    }
    cout << hi << endl;
}
