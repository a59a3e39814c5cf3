#include <bits/stdc++.h>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n, m;
    cin >> n >> m;
    vector<vector<pair<long long,int>>> g(n + 1);
    for (int i = 0; i < m; i++) {
        int a, b; long long w;
        cin >> a >> b >> w;
        g[a].push_back({w, b});
        g[b].push_back({w, a});
    }
    vector<char> in(n + 1, 0);
    priority_queue<pair<long long,int>, vector<pair<long long,int>>, greater<>> pq;
    pq.push({0, 1});
    long long total = 0;
    int cnt = 0;
    while (!pq.empty()) {
        auto [w, v] = pq.top(); pq.pop();
        if (in[v]) continue;
        in[v] = 1; total += w; cnt++;
        for (auto &e : g[v]) if (!in[e.second]) pq.push(e);
    }
    cout << (cnt == n ? total : -1) << '\n';
}
