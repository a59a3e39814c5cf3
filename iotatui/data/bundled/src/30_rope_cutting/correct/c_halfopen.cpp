#include <bits/stdc++.h>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n; long long k;
    cin >> n >> k;
    vector<int> L(n);
    for (auto &x : L) cin >> x;
    long long good = 0, bad = 1000000001LL;  // invariant: good feasible (or 0), bad infeasible
    while (bad - good > 1) {
        long long mid = good + (bad - good) / 2, c = 0;
        for (int l : L) c += l / mid;
        (c >= k ? good : bad) = mid;
    }
    cout << good << '\n';
}
