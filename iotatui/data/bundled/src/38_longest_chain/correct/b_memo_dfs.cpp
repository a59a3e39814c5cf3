#include <bits/stdc++.h>
using namespace std;
vector<vector<int>> g;
vector<int> memo;
int longest(int v) {  // longest path starting at v
    if (memo[v] >= 0) return memo[v];
    int r = 0;
    for (int u : g[v]) r = max(r, longest(u) + 1);
    return memo[v] = r;
}
int main() {
    int n, m;
    cin >> n >> m;
    g.assign(n + 1, {});
    memo.assign(n + 1, -1);
    for (int i = 0; i < m; i++) { int a, b; cin >> a >> b; g[a].push_back(b); }
    int best = 0;
    for (int v = 1; v <= n; v++) best = max(best, longest(v));
    cout << best << endl;
}
