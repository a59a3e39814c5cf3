#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<vector<int>> g(n + 1);
    vector<int> indeg(n + 1, 0), dp(n + 1, 0);
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); g[a].push_back(b); indeg[b]++; }
    queue<int> q;
    for (int v = 1; v <= n; v++) if (!indeg[v]) q.push(v);
    int best = 0;
    while (!q.empty()) {
        int v = q.front(); q.pop();
        best = max(best, dp[v]);
        for (int u : g[v]) {
            dp[u] = max(dp[u], dp[v] + 1);
            if (--indeg[u] == 0) q.push(u);
        }
    }
    printf("%d\n", best);
}
