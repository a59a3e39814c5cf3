#include <bits/stdc++.h>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n, x;
    cin >> n >> x;
    vector<int> c(n);
    for (auto &v : c) cin >> v;
    sort(c.rbegin(), c.rend());  // order of kinds does not change the count
    vector<long long> f(x + 1, 0);
    f[0] = 1;
    for (int v : c) {
        if (v > x) continue;
        for (int s = v; s <= x; s++) f[s] = (f[s] + f[s - v]) % 1000000007;
    }
    cout << f[x] << '\n';
}
