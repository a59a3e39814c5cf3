// BUG: only scans right and down from each unvisited cell, so parts reachable only via up/left moves are recounted
#include <bits/stdc++.h>
using namespace std;
int n, m;
vector<string> g;
void dfs(int r, int c) {
    if (r >= n || c >= m || g[r][c] != '#') return;
    g[r][c] = 'x';
    dfs(r + 1, c); dfs(r, c + 1);
}
int main() {
    cin >> n >> m;
    g.resize(n);
    for (auto &s : g) cin >> s;
    int cnt = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == '#') { cnt++; dfs(i, j); }
    cout << cnt << '\n';
}
