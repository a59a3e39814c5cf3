#include <bits/stdc++.h>
using namespace std;
int main() {
    int n; long long k;
    cin >> n >> k;
    vector<long long> L(n);
    for (auto &x : L) cin >> x;
    auto pieces = [&](long long x) {
        long long c = 0;
        for (long long l : L) c += l / x;
        return c;
    };
    long long lo = 0, hi = *max_element(L.begin(), L.end());  // answer in [lo, hi]
    while (lo < hi) {
        long long mid = (lo + hi + 1) / 2;
        if (pieces(mid) >= k) lo = mid; else hi = mid - 1;
    }
    cout << lo << endl;
}
