# BUG: the amount loop starts at 0, and dp[s - c] with a negative index wraps around to the end of the list
n, x = map(int, input().split())
coins = list(map(int, input().split()))
MOD = 10**9 + 7
dp = [0] * (x + 1)
dp[0] = 1
for c in coins:
    for s in range(1, x + 1):
        dp[s] = (dp[s] + dp[s - c]) % MOD
print(dp[x])
