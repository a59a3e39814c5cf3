// BUG: checks for conflicts only in the component of student 1
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<vector<int>> g(n + 1);
    for (int i = 0; i < m; i++) { int a, b; scanf("%d %d", &a, &b); g[a].push_back(b); g[b].push_back(a); }
    vector<int> col(n + 1, -1);
    long long ways = 1;
    for (int s = 1; s <= n; s++) {
        if (col[s] != -1) continue;
        ways = ways * 2 % 1000000007;
        col[s] = 0;
        queue<int> q; q.push(s);
        while (!q.empty()) {
            int v = q.front(); q.pop();
            for (int u : g[v]) {
                if (col[u] == -1) { col[u] = col[v] ^ 1; q.push(u); }
                else if (col[u] == col[v] && s == 1) { puts("-1"); return 0; }
            }
        }
    }
    printf("%lld\n", ways);
}
