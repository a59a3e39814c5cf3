#include <iostream>
#include <vector>
#include <algorithm>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    vector<long long> a(2 * n);
    for (auto &x : a) cin >> x;
    sort(a.begin(), a.end());
    long long ans = 0;
    int l = 0, r = 2 * n - 1;
    while (l < r) ans = max(ans, a[l++] + a[r--]);
    cout << ans << '\n';
}
