#include <bits/stdc++.h>
using namespace std;
const int MOD = 1000000007;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    vector<vector<int>> dp(n, vector<int>(m, 0));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            if (g[i][j] == '#') continue;
            if (i == 0 && j == 0) { dp[i][j] = 1; continue; }
            long long s = 0;
            if (i > 0) s += dp[i - 1][j];
            if (j > 0) s += dp[i][j - 1];
            dp[i][j] = s % MOD;
        }
    cout << dp[n - 1][m - 1] << endl;
}
