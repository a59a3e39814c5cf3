#include <bits/stdc++.h>
using namespace std;
// O(n^2 + m) Dijkstra without a heap: fine for n <= 10^4.
int main() {
    int n, m;
    cin >> n >> m;
    vector<array<long long, 3>> e(m);
    vector<int> deg(n + 2, 0);
    for (auto &x : e) { cin >> x[0] >> x[1] >> x[2]; deg[x[0]]++; deg[x[1]]++; }
    vector<int> start(n + 2, 0);
    for (int v = 1; v <= n; v++) start[v + 1] = start[v] + deg[v];
    vector<int> pos(start), to(2 * m);
    vector<long long> wt(2 * m);
    for (auto &x : e) {
        to[pos[x[0]]] = x[1]; wt[pos[x[0]]++] = x[2];
        to[pos[x[1]]] = x[0]; wt[pos[x[1]]++] = x[2];
    }
    const long long INF = 4e18;
    vector<long long> d(n + 1, INF);
    vector<char> done(n + 1, 0);
    d[1] = 0;
    for (int it = 0; it < n; it++) {
        int v = -1;
        for (int u = 1; u <= n; u++)
            if (!done[u] && d[u] < INF && (v == -1 || d[u] < d[v])) v = u;
        if (v == -1) break;
        done[v] = 1;
        for (int k = start[v]; k < start[v + 1]; k++)
            d[to[k]] = min(d[to[k]], d[v] + wt[k]);
    }
    cout << (d[n] >= INF ? -1 : d[n]) << endl;
}
