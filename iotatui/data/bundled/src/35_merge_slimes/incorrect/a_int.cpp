// BUG: dp and prefix sums in int overflow (sizes up to 10^9, totals up to ~10^13)
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<int> pre(n + 1, 0);
    for (int i = 0; i < n; i++) { int x; cin >> x; pre[i + 1] = pre[i] + x; }
    vector<vector<int>> dp(n, vector<int>(n, 0));
    for (int len = 2; len <= n; len++)
        for (int i = 0; i + len - 1 < n; i++) {
            int j = i + len - 1;
            int best = INT_MAX;
            for (int k = i; k < j; k++) best = min(best, dp[i][k] + dp[k + 1][j]);
            dp[i][j] = best + pre[j + 1] - pre[i];
        }
    cout << dp[0][n - 1] << endl;
}
