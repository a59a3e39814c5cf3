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
    int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
    while (!q.empty()) {
        auto [r, c] = q.front(); q.pop();
        for (int k = 0; k < 4; k++) {
            int a = r + dr[k], b = c + dc[k];
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
