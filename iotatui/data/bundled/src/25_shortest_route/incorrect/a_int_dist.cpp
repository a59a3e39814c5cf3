// BUG: distances stored in int overflow once a route costs more than 2^31-1
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<vector<pair<int,int>>> adj(n + 1);
    for (int i = 0; i < m; i++) {
        int a, b, w;
        scanf("%d %d %d", &a, &b, &w);
        adj[a].push_back({b, w});
        adj[b].push_back({a, w});
    }
    vector<int> d(n + 1, INT_MAX);
    priority_queue<pair<int,int>, vector<pair<int,int>>, greater<>> pq;
    d[1] = 0;
    pq.push({0, 1});
    while (!pq.empty()) {
        auto [dv, v] = pq.top(); pq.pop();
        if (dv != d[v]) continue;
        for (auto [u, w] : adj[v])
            if (dv + w < d[u]) { d[u] = dv + w; pq.push({d[u], u}); }
    }
    printf("%d\n", d[n] == INT_MAX ? -1 : d[n]);
}
