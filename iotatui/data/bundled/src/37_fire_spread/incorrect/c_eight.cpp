// BUG: fire also spreads diagonally (8 neighbours)
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    vector<vector<int>> t(n, vector<int>(m, -1));
    queue<pair<int,int>> q;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == 'F') { t[i][j] = 0; q.push({i, j}); }
    while (!q.empty()) {
        auto [r, c] = q.front(); q.pop();
        for (int dr = -1; dr <= 1; dr++)
            for (int dc = -1; dc <= 1; dc++) {
                int a = r + dr, b = c + dc;
                if (a < 0 || a >= n || b < 0 || b >= m || g[a][b] != '.' || t[a][b] != -1) continue;
                t[a][b] = t[r][c] + 1;
                q.push({a, b});
            }
    }
    int ans = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == '.') {
                if (t[i][j] == -1) { cout << -1 << endl; return 0; }
                ans = max(ans, t[i][j]);
            }
    cout << ans << endl;
}
