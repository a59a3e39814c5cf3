// BUG: takes the modulo only when printing; the counts overflow long long long before that
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
        for (int s = coin; s <= x; s++) dp[s] += dp[s - coin];
    cout << dp[x] % 1000000007 << endl;
}
