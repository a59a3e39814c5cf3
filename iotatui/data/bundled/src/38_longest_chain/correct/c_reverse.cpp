#include <cstdio>
#include <vector>
#include <algorithm>
// Kahn on the reversed graph: dp = longest path ending... computed from sinks backwards.
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<std::vector<int>> rg(n + 1);
    std::vector<int> outdeg(n + 1, 0), dp(n + 1, 0), st;
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); rg[b].push_back(a); outdeg[a]++; }
    for (int v = 1; v <= n; v++) if (!outdeg[v]) st.push_back(v);
    int best = 0;
    while (!st.empty()) {
        int v = st.back(); st.pop_back();
        best = std::max(best, dp[v]);
        for (int u : rg[v]) {
            dp[u] = std::max(dp[u], dp[v] + 1);
            if (--outdeg[u] == 0) st.push_back(u);
        }
    }
    printf("%d\n", best);
}
