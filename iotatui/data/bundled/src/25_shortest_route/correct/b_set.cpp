#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, m;
    cin >> n >> m;
    vector<vector<pair<int,ll>>> g(n + 1);
    while (m--) {
        int a, b; ll w;
        cin >> a >> b >> w;
        g[a].emplace_back(b, w);
        g[b].emplace_back(a, w);
    }
    vector<ll> dist(n + 1, -1);
    set<pair<ll,int>> s;
    dist[1] = 0;
    s.insert({0, 1});
    while (!s.empty()) {
        auto [d, v] = *s.begin();
        s.erase(s.begin());
        for (auto &[u, w] : g[v]) {
            if (dist[u] == -1 || d + w < dist[u]) {
                if (dist[u] != -1) s.erase({dist[u], u});
                dist[u] = d + w;
                s.insert({dist[u], u});
            }
        }
    }
    cout << dist[n] << '\n';
}
