#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    int islands = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            if (g[i][j] != '#') continue;
            islands++;
            queue<pair<int,int>> q;
            q.push({i, j});
            g[i][j] = '.';
            while (!q.empty()) {
                auto [r, c] = q.front(); q.pop();
                int dr[] = {1, -1, 0, 0}, dc[] = {0, 0, 1, -1};
                for (int k = 0; k < 4; k++) {
                    int a = r + dr[k], b = c + dc[k];
                    if (a >= 0 && a < n && b >= 0 && b < m && g[a][b] == '#') {
                        g[a][b] = '.';
                        q.push({a, b});
                    }
                }
            }
        }
    cout << islands << endl;
}
