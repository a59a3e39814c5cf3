// BUG: answers type 3 with sz[a] instead of sz[find(a)]
#include <bits/stdc++.h>
using namespace std;
vector<int> par, sz;
int find(int x) { return par[x] == x ? x : par[x] = find(par[x]); }
int main() {
    int n, q;
    cin >> n >> q;
    par.resize(n + 1); sz.assign(n + 1, 1);
    iota(par.begin(), par.end(), 0);
    while (q--) {
        int t, a, b;
        cin >> t >> a;
        if (t == 3) { cout << sz[a] << '\n'; continue; }
        cin >> b;
        a = find(a); b = find(b);
        if (t == 2) { cout << (a == b ? "YES" : "NO") << '\n'; continue; }
        if (a == b) continue;
        if (sz[a] < sz[b]) swap(a, b);
        par[b] = a; sz[a] += sz[b];
    }
}
