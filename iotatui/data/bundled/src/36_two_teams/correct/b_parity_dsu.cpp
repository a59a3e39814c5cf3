#include <bits/stdc++.h>
using namespace std;
// DSU with parity: par_to_root[v] = colour(v) xor colour(root).
vector<int> p, parity;
pair<int,int> find(int v) {
    if (p[v] == v) return {v, 0};
    auto [r, pr] = find(p[v]);
    p[v] = r; parity[v] ^= pr;
    return {r, parity[v]};
}
int main() {
    int n, m;
    cin >> n >> m;
    p.resize(n + 1); parity.assign(n + 1, 0);
    iota(p.begin(), p.end(), 0);
    int comps = n;
    bool ok = true;
    for (int i = 0; i < m; i++) {
        int a, b;
        cin >> a >> b;
        auto [ra, pa] = find(a);
        auto [rb, pb] = find(b);
        if (ra == rb) { if (pa == pb) ok = false; continue; }
        p[ra] = rb; parity[ra] = pa ^ pb ^ 1; comps--;
    }
    if (!ok) { cout << -1 << endl; return 0; }
    long long r = 1;
    for (int i = 0; i < comps; i++) r = r * 2 % 1000000007;
    cout << r << endl;
}
