// BUG: computes 2^components as 1 << c, which overflows once there are 31 or more components
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<vector<int>> g(n + 1);
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); g[a].push_back(b); g[b].push_back(a); }
    vector<int> col(n + 1, -1);
    int comps = 0;
    for (int s = 1; s <= n; s++) {
        if (col[s] != -1) continue;
        comps++;
        col[s] = 0;
        queue<int> q; q.push(s);
        while (!q.empty()) {
            int v = q.front(); q.pop();
            for (int u : g[v]) {
                if (col[u] == -1) { col[u] = col[v] ^ 1; q.push(u); }
                else if (col[u] == col[v]) { puts("-1"); return 0; }
            }
        }
    }
    printf("%d\n", (1 << comps) % 1000000007);
}
