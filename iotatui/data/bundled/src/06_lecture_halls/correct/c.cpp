#include <bits/stdc++.h>
using namespace std;
int main() {
    // Reverse greedy: take the latest start first.
    int n;
    cin >> n;
    vector<pair<int, int>> v(n);
    for (auto &p : v) cin >> p.first >> p.second;
    sort(v.rbegin(), v.rend());
    int cnt = 0;
    int bound = INT_MAX;
    for (auto &p : v)
        if (p.second <= bound) {
            cnt++;
            bound = p.first;
        }
    cout << cnt << endl;
}
