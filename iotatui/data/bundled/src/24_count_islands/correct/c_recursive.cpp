#include <bits/stdc++.h>
using namespace std;
int n, m;
vector<string> g;
void dfs(int r, int c) {
    if (r < 0 || r >= n || c < 0 || c >= m || g[r][c] != '#') return;
    g[r][c] = 'x';
    dfs(r + 1, c); dfs(r - 1, c); dfs(r, c + 1); dfs(r, c - 1);
}
int main() {
    ios::sync_with_stdio(false);
    cin >> n >> m;
    g.resize(n);
    for (auto &s : g) cin >> s;
    long long cnt = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == '#') { cnt++; dfs(i, j); }
    cout << cnt << '\n';
}
