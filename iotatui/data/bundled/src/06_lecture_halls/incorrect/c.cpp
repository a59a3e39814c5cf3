// BUG: wrong greedy, picks the shortest requests first
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<array<int, 3>> v(n);
    for (auto &x : v) {
        cin >> x[1] >> x[2];
        x[0] = x[2] - x[1];
    }
    sort(v.begin(), v.end());
    set<pair<int, int>> taken;  // (l, r) of accepted requests
    int cnt = 0;
    for (auto &x : v) {
        int l = x[1], r = x[2];
        auto it = taken.lower_bound({l, INT_MIN});
        bool ok = true;
        if (it != taken.end() && it->first < r) ok = false;
        if (it != taken.begin() && prev(it)->second > l) ok = false;
        if (ok) taken.insert({l, r}), cnt++;
    }
    cout << cnt << endl;
}
