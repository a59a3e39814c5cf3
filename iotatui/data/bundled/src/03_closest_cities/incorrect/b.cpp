// BUG: best starts at 1e9, but the distance can be up to 2e9
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    sort(a.begin(), a.end());
    long long best = 1000000000, cnt = 0;
    for (int i = 1; i < n; i++) {
        long long d = a[i] - a[i - 1];
        if (d < best) best = d, cnt = 1;
        else if (d == best) cnt++;
    }
    cout << best << " " << cnt << endl;
}
