#include <cstdio>
#include <vector>
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<std::vector<int>> adj(n + 1);
    while (m--) { int a, b; scanf("%d %d", &a, &b); adj[a].push_back(b); adj[b].push_back(a); }
    std::vector<int> c(n + 1, 0);  // 0 = none, 1 / 2 = teams
    int comps = 0;
    for (int s = 1; s <= n; s++) {
        if (c[s]) continue;
        comps++;
        std::vector<int> st{s};
        c[s] = 1;
        while (!st.empty()) {
            int v = st.back(); st.pop_back();
            for (int u : adj[v]) {
                if (!c[u]) { c[u] = 3 - c[v]; st.push_back(u); }
                else if (c[u] == c[v]) { printf("-1\n"); return 0; }
            }
        }
    }
    long long ans = 1, base = 2, e = comps;
    while (e) { if (e & 1) ans = ans * base % 1000000007; base = base * base % 1000000007; e >>= 1; }
    printf("%lld\n", ans);
}
