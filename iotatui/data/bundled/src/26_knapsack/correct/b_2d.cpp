#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n, W;
    scanf("%d %d", &n, &W);
    std::vector<int> w(n + 1);
    std::vector<long long> v(n + 1);
    for (int i = 1; i <= n; i++) scanf("%d %lld", &w[i], &v[i]);
    std::vector<std::vector<long long>> dp(n + 1, std::vector<long long>(W + 1, 0));
    for (int i = 1; i <= n; i++)
        for (int c = 0; c <= W; c++) {
            dp[i][c] = dp[i - 1][c];
            if (c >= w[i]) dp[i][c] = std::max(dp[i][c], dp[i - 1][c - w[i]] + v[i]);
        }
    printf("%lld\n", dp[n][W]);
}
