// BUG: starts from bit 28, so the bit 2^29 is never considered
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<int> a(n);
    for (auto &x : a) cin >> x;
    int ans = 0;
    for (int b = 28; b >= 0; b--) {
        int cand = ans | (1 << b), cnt = 0;
        for (int x : a) if ((x & cand) == cand) cnt++;
        if (cnt >= 2) ans = cand;
    }
    cout << ans << endl;
}
