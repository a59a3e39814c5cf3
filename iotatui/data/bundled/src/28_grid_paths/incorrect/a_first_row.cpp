// BUG: the first row and column are filled with 1 without looking at the trees on them
#include <bits/stdc++.h>
using namespace std;
const int MOD = 1000000007;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    vector<vector<long long>> dp(n, vector<long long>(m, 0));
    for (int i = 0; i < n; i++) dp[i][0] = 1;
    for (int j = 0; j < m; j++) dp[0][j] = 1;
    for (int i = 1; i < n; i++)
        for (int j = 1; j < m; j++)
            dp[i][j] = g[i][j] == '#' ? 0 : (dp[i - 1][j] + dp[i][j - 1]) % MOD;
    cout << (g[n - 1][m - 1] == '#' ? 0 : dp[n - 1][m - 1]) << endl;
}
