// BUG: BFS from the sources records the first (shortest) distance to each task, not the longest
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<vector<int>> g(n + 1);
    vector<int> indeg(n + 1, 0), d(n + 1, -1);
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); g[a].push_back(b); indeg[b]++; }
    queue<int> q;
    for (int v = 1; v <= n; v++) if (!indeg[v]) { d[v] = 0; q.push(v); }
    int best = 0;
    while (!q.empty()) {
        int v = q.front(); q.pop();
        best = max(best, d[v]);
        for (int u : g[v]) if (d[u] == -1) { d[u] = d[v] + 1; q.push(u); }
    }
    printf("%d\n", best);
}
