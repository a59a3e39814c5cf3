// BUG: never checks for trees the fire cannot reach; prints the time of the last tree that does burn
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
    int ans = 0;
    int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
    while (!q.empty()) {
        auto [r, c] = q.front(); q.pop();
        ans = max(ans, t[r][c]);
        for (int k = 0; k < 4; k++) {
            int a = r + dr[k], b = c + dc[k];
            if (a < 0 || a >= n || b < 0 || b >= m || g[a][b] != '.' || t[a][b] != -1) continue;
            t[a][b] = t[r][c] + 1;
            q.push({a, b});
        }
    }
    cout << ans << endl;
}
