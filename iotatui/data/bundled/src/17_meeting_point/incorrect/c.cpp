// BUG: wrong formula, only looks at the two extreme friends
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<double> x(n), v(n);
    for (auto &a : x) cin >> a;
    for (auto &a : v) cin >> a;
    int lo = min_element(x.begin(), x.end()) - x.begin();
    int hi = max_element(x.begin(), x.end()) - x.begin();
    printf("%.12f\n", (x[hi] - x[lo]) / (v[hi] + v[lo]));
}
