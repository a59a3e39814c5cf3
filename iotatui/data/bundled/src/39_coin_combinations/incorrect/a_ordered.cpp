// BUG: the loops are swapped (amount outside, coin inside), which counts ordered sequences of coins
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, x;
    cin >> n >> x;
    vector<int> c(n);
    for (auto &v : c) cin >> v;
    const int MOD = 1000000007;
    vector<long long> dp(x + 1, 0);
    dp[0] = 1;
    for (int s = 1; s <= x; s++)
        for (int coin : c)
            if (coin <= s) dp[s] = (dp[s] + dp[s - coin]) % MOD;
    cout << dp[x] << endl;
}
