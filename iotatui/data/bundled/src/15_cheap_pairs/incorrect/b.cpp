// BUG: lower_bound counts only sums strictly below x
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    long long x;
    cin >> n >> x;
    vector<long long> a(n);
    for (auto &v : a) cin >> v;
    sort(a.begin(), a.end());
    long long ans = 0;
    for (int i = 0; i < n; i++) {
        long long j = lower_bound(a.begin() + i + 1, a.end(), x - a[i]) - a.begin();
        ans += j - (i + 1);
    }
    cout << ans << endl;
}
