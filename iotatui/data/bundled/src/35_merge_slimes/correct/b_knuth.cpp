#include <cstdio>
#include <climits>
// Knuth's optimisation: opt[i][j-1] <= opt[i][j] <= opt[i+1][j].
long long dp[205][205], s[205];
int opt[205][205];
int main() {
    int n;
    scanf("%d", &n);
    for (int i = 1; i <= n; i++) { long long x; scanf("%lld", &x); s[i] = s[i - 1] + x; opt[i][i] = i; }
    for (int len = 2; len <= n; len++)
        for (int i = 1; i + len - 1 <= n; i++) {
            int j = i + len - 1;
            dp[i][j] = LLONG_MAX;
            for (int k = opt[i][j - 1]; k <= opt[i + 1][j] && k < j; k++) {
                long long v = dp[i][k] + dp[k + 1][j];
                if (v < dp[i][j]) { dp[i][j] = v; opt[i][j] = k; }
            }
            dp[i][j] += s[j] - s[i - 1];
        }
    printf("%lld\n", dp[1][n]);
}
