// BUG: off-by-one, pre[r] - pre[l] drops a_l
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, q;
    cin >> n >> q;
    vector<long long> pre(n + 1, 0);
    for (int i = 1; i <= n; i++) {
        long long x;
        cin >> x;
        pre[i] = pre[i - 1] + x;
    }
    while (q--) {
        int l, r;
        cin >> l >> r;
        if (l == r) cout << pre[r] - pre[r - 1] << "\n";
        else cout << pre[r] - pre[l] << "\n";
    }
}
