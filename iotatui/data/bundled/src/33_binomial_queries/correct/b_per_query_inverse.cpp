#include <bits/stdc++.h>
using namespace std;
typedef unsigned long long ull;
const ull M = 1000000007ULL;
ull pw(ull a, ull e) { ull r = 1; for (; e; e >>= 1, a = a * a % M) if (e & 1) r = r * a % M; return r; }
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int q;
    cin >> q;
    vector<pair<int,int>> qs(q);
    int mx = 0;
    for (auto &[n, k] : qs) { cin >> n >> k; mx = max(mx, n); }
    vector<ull> fact(mx + 1, 1);
    for (int i = 1; i <= mx; i++) fact[i] = fact[i - 1] * i % M;
    for (auto [n, k] : qs) {
        if (k > n) { cout << 0 << '\n'; continue; }
        cout << fact[n] * pw(fact[k] * fact[n - k] % M, M - 2) % M << '\n';
    }
}
