// BUG: treats diagonal neighbours as connected (8-connectivity)
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
                for (int dr = -1; dr <= 1; dr++)
                    for (int dc = -1; dc <= 1; dc++) {
                        int a = r + dr, b = c + dc;
                        if (a >= 0 && a < n && b >= 0 && b < m && g[a][b] == '#') {
                            g[a][b] = '.';
                            q.push({a, b});
                        }
                    }
            }
        }
    cout << islands << endl;
}
