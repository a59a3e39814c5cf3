#include <iostream>
#include <vector>
#include <algorithm>
using namespace std;
struct Req { int l, r; };
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    vector<Req> a(n);
    for (auto &x : a) cin >> x.l >> x.r;
    sort(a.begin(), a.end(), [](const Req &x, const Req &y) { return x.r < y.r; });
    int ans = 0, end = 0;
    for (const auto &x : a)
        if (x.l >= end) ans++, end = x.r;
    cout << ans << "\n";
}
