// BUG: the amount loop runs downwards, so every kind of coin is used at most once
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, x;
    cin >> n >> x;
    vector<int> c(n);
    for (auto &v : c) cin >> v;
    vector<long long> dp(x + 1, 0);
    dp[0] = 1;
    for (int coin : c)
        for (int s = x; s >= coin; s--) dp[s] = (dp[s] + dp[s - coin]) % 1000000007;
    cout << dp[x] << endl;
}
