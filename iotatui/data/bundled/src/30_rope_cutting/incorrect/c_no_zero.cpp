// BUG: starts the search at 1 and never checks that length 1 is feasible, so impossible cases print 1
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n; long long k;
    cin >> n >> k;
    vector<long long> L(n);
    for (auto &x : L) cin >> x;
    long long lo = 1, hi = *max_element(L.begin(), L.end());
    while (lo < hi) {
        long long mid = (lo + hi + 1) / 2, c = 0;
        for (long long l : L) c += l / mid;
        if (c >= k) lo = mid; else hi = mid - 1;
    }
    cout << lo << endl;
}
