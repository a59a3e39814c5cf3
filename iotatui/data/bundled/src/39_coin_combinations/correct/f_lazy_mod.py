n, x = map(int, input().split())
coins = sorted(map(int, input().split()))
dp = [0] * (x + 1)
dp[0] = 1
for c in coins:
    for s in range(c, x + 1):
        dp[s] += dp[s - c]
        if dp[s] >= 1000000007:
            dp[s] -= 1000000007
print(dp[x])
