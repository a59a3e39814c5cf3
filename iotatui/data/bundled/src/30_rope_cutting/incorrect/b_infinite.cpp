// BUG: mid rounds down while the update is lo = mid, so the search loops forever once hi = lo + 1
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n; long long k;
    cin >> n >> k;
    vector<long long> L(n);
    for (auto &x : L) cin >> x;
    long long lo = 0, hi = *max_element(L.begin(), L.end());
    while (lo < hi) {
        long long mid = (lo + hi) / 2, c = 0;
        if (mid == 0) { lo = 1; continue; }
        for (long long l : L) c += l / mid;
        if (c >= k) lo = mid; else hi = mid - 1;
    }
    cout << lo << endl;
}
