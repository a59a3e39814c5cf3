#include <bits/stdc++.h>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n, m;
    cin >> n >> m;
    int W = m + 2;
    vector<char> cell((n + 2) * W, '#');
    for (int i = 1; i <= n; i++) {
        string s; cin >> s;
        for (int j = 1; j <= m; j++) cell[i * W + j] = s[j - 1];
    }
    vector<int> d(cell.size(), INT_MAX);
    deque<int> q;
    for (size_t v = 0; v < cell.size(); v++) if (cell[v] == 'F') { d[v] = 0; q.push_back(v); }
    while (!q.empty()) {
        int v = q.front(); q.pop_front();
        for (int u : {v + 1, v - 1, v + W, v - W})
            if (cell[u] == '.' && d[u] == INT_MAX) { d[u] = d[v] + 1; q.push_back(u); }
    }
    int ans = 0;
    for (size_t v = 0; v < cell.size(); v++) {
        if (cell[v] != '.') continue;
        if (d[v] == INT_MAX) { cout << -1 << '\n'; return 0; }
        ans = max(ans, d[v]);
    }
    cout << ans << '\n';
}
