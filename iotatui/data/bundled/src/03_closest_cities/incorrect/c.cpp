// BUG: off-by-one, the last adjacent pair is never examined
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    sort(a.begin(), a.end());
    long long best = LLONG_MAX, cnt = 0;
    for (int i = 0; i < n - 2; i++) {
        long long d = a[i + 1] - a[i];
        if (d < best) best = d, cnt = 1;
        else if (d == best) cnt++;
    }
    if (n == 2) best = a[1] - a[0], cnt = 1;
    cout << best << " " << cnt << endl;
}
