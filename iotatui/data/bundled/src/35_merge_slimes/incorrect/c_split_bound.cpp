// BUG: the split point stops at j - 2, never trying to merge [i, j-1] with the single slime j
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> pre(n + 1, 0);
    for (int i = 0; i < n; i++) { long long x; cin >> x; pre[i + 1] = pre[i] + x; }
    vector<vector<long long>> dp(n, vector<long long>(n, 0));
    for (int len = 2; len <= n; len++)
        for (int i = 0; i + len - 1 < n; i++) {
            int j = i + len - 1;
            long long best = dp[i][i] + dp[i + 1][j];
            for (int k = i + 1; k < j - 1; k++) best = min(best, dp[i][k] + dp[k + 1][j]);
            dp[i][j] = best + pre[j + 1] - pre[i];
        }
    cout << dp[0][n - 1] << endl;
}
