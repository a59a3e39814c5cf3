#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    string s;
    cin >> n >> s;
    vector<pair<int, int>> pts;
    pts.push_back({0, 0});
    int x = 0, y = 0;
    for (char c : s) {
        x += (c == 'R') - (c == 'L');
        y += (c == 'U') - (c == 'D');
        pts.push_back({x, y});
    }
    // The first repeat: for each point, the earliest previous index with the same coordinates.
    vector<int> idx(n + 1);
    iota(idx.begin(), idx.end(), 0);
    stable_sort(idx.begin(), idx.end(), [&](int a, int b) { return pts[a] < pts[b]; });
    int best = INT_MAX;
    for (int k = 1; k <= n; k++)
        if (pts[idx[k]] == pts[idx[k - 1]]) best = min(best, idx[k]);
    cout << (best == INT_MAX ? -1 : best) << endl;
}
