#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
int main() {
    int n, q;
    cin >> n >> q;
    vector<ll> a(n);
    for (auto &x : a) cin >> x;
    vector<ll> s(n);
    partial_sum(a.begin(), a.end(), s.begin());
    while (q--) {
        int l, r;
        cin >> l >> r;
        --l, --r;
        cout << s[r] - (l > 0 ? s[l - 1] : 0) << endl;
    }
}
