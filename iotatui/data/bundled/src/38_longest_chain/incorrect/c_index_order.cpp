// BUG: processes tasks in index order 1..n as if every dependency went from a smaller to a larger number
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<vector<int>> g(n + 1);
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); g[a].push_back(b); }
    vector<int> dp(n + 1, 0);
    int best = 0;
    for (int v = 1; v <= n; v++) {
        best = max(best, dp[v]);
        for (int u : g[v]) dp[u] = max(dp[u], dp[v] + 1);
    }
    for (int v = 1; v <= n; v++) best = max(best, dp[v]);
    printf("%d\n", best);
}
