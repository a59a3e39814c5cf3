// BUG: DFS without memoisation explores every path: exponential on layered graphs
#include <bits/stdc++.h>
using namespace std;
vector<vector<int>> g;
int longest(int v) {
    int r = 0;
    for (int u : g[v]) r = max(r, longest(u) + 1);
    return r;
}
int main() {
    int n, m;
    cin >> n >> m;
    g.assign(n + 1, {});
    vector<int> indeg(n + 1, 0);
    for (int i = 0; i < m; i++) { int a, b; cin >> a >> b; g[a].push_back(b); indeg[b]++; }
    int best = 0;
    for (int v = 1; v <= n; v++) if (!indeg[v]) best = max(best, longest(v));
    cout << best << endl;
}
