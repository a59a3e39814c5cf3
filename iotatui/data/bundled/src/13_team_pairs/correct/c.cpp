#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    multiset<long long> s;
    for (int i = 0; i < 2 * n; i++) {
        long long x;
        cin >> x;
        s.insert(x);
    }
    long long ans = 0;
    while (!s.empty()) {
        long long lo = *s.begin();
        s.erase(s.begin());
        auto it = prev(s.end());
        ans = max(ans, lo + *it);
        s.erase(it);
    }
    cout << ans << endl;
}
