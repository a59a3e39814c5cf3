#include <iostream>
#include <iomanip>
#include <vector>
#include <algorithm>
using namespace std;
int n;
vector<double> x, v;
double needed(double p) {
    double t = 0;
    for (int i = 0; i < n; i++) t = max(t, abs(x[i] - p) / v[i]);
    return t;
}
int main() {
    cin >> n;
    x.resize(n), v.resize(n);
    for (auto &a : x) cin >> a;
    for (auto &a : v) cin >> a;
    // The time as a function of the meeting point is convex: ternary search.
    double lo = *min_element(x.begin(), x.end()), hi = *max_element(x.begin(), x.end());
    for (int it = 0; it < 200; it++) {
        double m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
        if (needed(m1) < needed(m2)) hi = m2;
        else lo = m1;
    }
    cout << fixed << setprecision(12) << needed((lo + hi) / 2) << "\n";
}
