#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    ll t;
    cin >> n >> t;
    vector<ll> p(n + 1, 0);
    for (int i = 1; i <= n; i++) {
        ll x;
        cin >> x;
        p[i] = p[i - 1] + x;
    }
    int best = 0;
    for (int i = 0; i < n; i++) {
        // last j with p[j] - p[i] <= t
        int j = upper_bound(p.begin(), p.end(), p[i] + t) - p.begin() - 1;
        best = max(best, j - i);
    }
    cout << best << '\n';
}
