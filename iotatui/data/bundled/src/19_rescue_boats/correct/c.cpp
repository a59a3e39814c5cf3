#include <bits/stdc++.h>
using namespace std;
int main() {
    long long n, k;
    cin >> n >> k;
    multiset<long long> s;
    for (int i = 0; i < n; i++) {
        long long x;
        cin >> x;
        s.insert(x);
    }
    long long ans = 0;
    while (!s.empty()) {
        auto heavy = prev(s.end());
        long long h = *heavy;
        s.erase(heavy);
        if (!s.empty() && *s.begin() + h <= k) s.erase(s.begin());
        ans++;
    }
    cout << ans << endl;
}
