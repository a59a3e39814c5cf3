// BUG: allows diagonal moves (8 directions) although only side-adjacent moves are legal
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    vector<vector<int>> d(n, vector<int>(m, -1));
    queue<pair<int,int>> q;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == 'S') { d[i][j] = 0; q.push({i, j}); }
    while (!q.empty()) {
        auto [r, c] = q.front(); q.pop();
        if (g[r][c] == 'E') { cout << d[r][c] << "\n"; return 0; }
        for (int dr = -1; dr <= 1; dr++)
            for (int dc = -1; dc <= 1; dc++) {
                int nr = r + dr, nc = c + dc;
                if (nr < 0 || nr >= n || nc < 0 || nc >= m) continue;
                if (g[nr][nc] == '#' || d[nr][nc] != -1) continue;
                d[nr][nc] = d[r][c] + 1;
                q.push({nr, nc});
            }
    }
    cout << -1 << "\n";
}
