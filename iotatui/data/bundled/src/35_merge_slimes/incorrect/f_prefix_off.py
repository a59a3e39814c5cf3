# BUG: off-by-one in the prefix sums: pre[j] - pre[i] leaves out the last slime of the segment
n = int(input())
a = list(map(int, input().split()))
pre = [0] * (n + 1)
for i in range(n):
    pre[i + 1] = pre[i] + a[i]
dp = [[0] * n for _ in range(n)]
for length in range(2, n + 1):
    for i in range(n - length + 1):
        j = i + length - 1
        dp[i][j] = min(dp[i][k] + dp[k + 1][j] for k in range(i, j)) + pre[j] - pre[i]
print(dp[0][n - 1])
