#include <bits/stdc++.h>
using namespace std;
// f(p) = max_i |x_i - p| / v_i is convex in the meeting point p: ternary search.
int n;
vector<double> x, v;
double f(double p) {
    double r = 0;
    for (int i = 0; i < n; i++) r = max(r, fabs(x[i] - p) / v[i]);
    return r;
}
int main() {
    cin >> n;
    x.resize(n); v.resize(n);
    for (int i = 0; i < n; i++) cin >> x[i] >> v[i];
    double lo = *min_element(x.begin(), x.end()), hi = *max_element(x.begin(), x.end());
    for (int it = 0; it < 200; it++) {
        double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
        if (f(m1) < f(m2)) hi = m2; else lo = m1;
    }
    cout << fixed << setprecision(9) << f((lo + hi) / 2) << endl;
}
