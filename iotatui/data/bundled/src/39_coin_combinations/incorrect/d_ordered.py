# BUG: iterates amounts in the outer loop, counting 2+3 and 3+2 as different ways
n, x = map(int, input().split())
coins = list(map(int, input().split()))
MOD = 10**9 + 7
dp = [0] * (x + 1)
dp[0] = 1
for s in range(1, x + 1):
    for c in coins:
        if c <= s:
            dp[s] = (dp[s] + dp[s - c]) % MOD
print(dp[x])
