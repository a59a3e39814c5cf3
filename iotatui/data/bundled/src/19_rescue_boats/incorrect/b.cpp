// BUG: int overflow, two weights near 2e9 wrap around and look light enough to share a boat
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, k;
    cin >> n >> k;
    vector<int> w(n);
    for (auto &x : w) cin >> x;
    sort(w.begin(), w.end());
    int l = 0, r = n - 1, boats = 0;
    while (l <= r) {
        if (l < r && w[l] + w[r] <= k) l++;
        r--;
        boats++;
    }
    cout << boats << endl;
}
