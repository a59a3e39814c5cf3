// BUG: runs a separate BFS from every fire and takes the minimum: O(fires * n * m), too slow with many fires
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    vector<vector<int>> best(n, vector<int>(m, INT_MAX));
    int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            if (g[i][j] != 'F') continue;
            vector<vector<int>> d(n, vector<int>(m, -1));
            queue<pair<int,int>> q;
            d[i][j] = 0; q.push({i, j});
            while (!q.empty()) {
                auto [r, c] = q.front(); q.pop();
                best[r][c] = min(best[r][c], d[r][c]);
                for (int k = 0; k < 4; k++) {
                    int a = r + dr[k], b = c + dc[k];
                    if (a < 0 || a >= n || b < 0 || b >= m || g[a][b] != '.' || d[a][b] != -1) continue;
                    d[a][b] = d[r][c] + 1;
                    q.push({a, b});
                }
            }
        }
    int ans = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == '.') {
                if (best[i][j] == INT_MAX) { cout << -1 << endl; return 0; }
                ans = max(ans, best[i][j]);
            }
    cout << ans << endl;
}
