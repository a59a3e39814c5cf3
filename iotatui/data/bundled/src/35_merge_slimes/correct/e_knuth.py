n = int(input())
a = list(map(int, input().split()))
s = [0] * (n + 1)
for i, x in enumerate(a):
    s[i + 1] = s[i] + x
INF = float('inf')
dp = [[0] * (n + 1) for _ in range(n + 1)]
opt = [[0] * (n + 1) for _ in range(n + 1)]
for i in range(1, n + 1):
    opt[i][i] = i
for length in range(2, n + 1):
    for i in range(1, n - length + 2):
        j = i + length - 1
        best, arg = INF, i
        for k in range(opt[i][j - 1], min(opt[i + 1][j], j - 1) + 1):
            v = dp[i][k] + dp[k + 1][j]
            if v < best:
                best, arg = v, k
        dp[i][j] = best + s[j] - s[i - 1]
        opt[i][j] = arg
print(dp[1][n])
