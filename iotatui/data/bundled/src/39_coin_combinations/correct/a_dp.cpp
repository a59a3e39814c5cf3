#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, x;
    cin >> n >> x;
    vector<int> c(n);
    for (auto &v : c) cin >> v;
    const int MOD = 1000000007;
    vector<int> dp(x + 1, 0);
    dp[0] = 1;
    for (int coin : c)
        for (int s = coin; s <= x; s++) {
            dp[s] += dp[s - coin];
            if (dp[s] >= MOD) dp[s] -= MOD;
        }
    cout << dp[x] << endl;
}
