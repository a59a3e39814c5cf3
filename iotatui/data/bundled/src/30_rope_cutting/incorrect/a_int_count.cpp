// BUG: the piece counter is an int and overflows when the length is small (up to 10^13 pieces)
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n; long long k;
    cin >> n >> k;
    vector<int> L(n);
    for (auto &x : L) cin >> x;
    long long lo = 0, hi = *max_element(L.begin(), L.end());
    while (lo < hi) {
        long long mid = (lo + hi + 1) / 2;
        int c = 0;
        for (int l : L) c += l / mid;
        if (c >= k) lo = mid; else hi = mid - 1;
    }
    cout << lo << endl;
}
