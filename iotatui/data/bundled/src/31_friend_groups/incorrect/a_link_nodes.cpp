// BUG: links the users themselves (par[a] = b) instead of their roots, losing a's old group
#include <bits/stdc++.h>
using namespace std;
vector<int> par;
int find(int x) { return par[x] == x ? x : par[x] = find(par[x]); }
int main() {
    int n, q;
    cin >> n >> q;
    par.resize(n + 1);
    iota(par.begin(), par.end(), 0);
    while (q--) {
        int t, a, b;
        cin >> t >> a;
        if (t == 3) {
            int r = find(a), c = 0;
            for (int i = 1; i <= n; i++) c += find(i) == r;
            cout << c << '\n';
            continue;
        }
        cin >> b;
        if (t == 2) cout << (find(a) == find(b) ? "YES" : "NO") << '\n';
        else if (find(a) != find(b)) par[a] = b;
    }
}
