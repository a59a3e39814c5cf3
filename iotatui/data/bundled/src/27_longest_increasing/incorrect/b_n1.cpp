// BUG: the answer starts at 0 and the O(n^2) loop starts at i = 1, so n = 1 (and a first-only maximum) prints 0
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<int> a(n), dp(n, 1);
    for (auto &x : a) cin >> x;
    int best = 0;
    for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (a[j] < a[i]) dp[i] = max(dp[i], dp[j] + 1);
        best = max(best, dp[i]);
    }
    cout << best << endl;
}
