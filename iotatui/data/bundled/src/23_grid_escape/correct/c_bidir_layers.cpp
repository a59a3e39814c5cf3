#include <bits/stdc++.h>
using namespace std;
// Layer-by-layer BFS from the exit (the graph is undirected, so distances are symmetric).
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    vector<vector<char>> seen(n, vector<char>(m, 0));
    vector<pair<int,int>> cur;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == 'E') { cur.push_back({i, j}); seen[i][j] = 1; }
    for (int steps = 0; !cur.empty(); steps++) {
        vector<pair<int,int>> nxt;
        for (auto [r, c] : cur) {
            if (g[r][c] == 'S') { cout << steps << '\n'; return 0; }
            for (auto [dr, dc] : {pair{1, 0}, pair{-1, 0}, pair{0, 1}, pair{0, -1}}) {
                int a = r + dr, b = c + dc;
                if (a >= 0 && a < n && b >= 0 && b < m && g[a][b] != '#' && !seen[a][b]) {
                    seen[a][b] = 1;
                    nxt.push_back({a, b});
                }
            }
        }
        cur.swap(nxt);
    }
    cout << -1 << '\n';
}
