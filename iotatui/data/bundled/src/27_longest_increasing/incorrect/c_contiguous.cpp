// BUG: finds the longest increasing contiguous run instead of a subsequence
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<int> a(n);
    for (auto &x : a) cin >> x;
    int best = 1, cur = 1;
    for (int i = 1; i < n; i++) {
        cur = a[i] > a[i - 1] ? cur + 1 : 1;
        best = max(best, cur);
    }
    cout << best << endl;
}
