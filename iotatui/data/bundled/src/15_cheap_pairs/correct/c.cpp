#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
int main() {
    ll n, x;
    cin >> n >> x;
    vector<ll> a(n);
    for (auto &v : a) cin >> v;
    sort(a.begin(), a.end());
    // Count ordered pairs including i == j, then remove self pairs and halve.
    ll total = 0;
    int j = n - 1;
    for (int i = 0; i < n; i++) {
        while (j >= 0 && a[i] + a[j] > x) j--;
        total += j + 1;
    }
    for (int i = 0; i < n; i++)
        if (2 * a[i] <= x) total--;
    cout << total / 2 << endl;
}
