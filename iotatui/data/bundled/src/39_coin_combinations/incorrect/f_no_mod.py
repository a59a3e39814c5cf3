# BUG: no modulo at all: prints the exact (huge) number of ways
import sys
data = sys.stdin.read().split()
n, x = int(data[0]), int(data[1])
dp = [1] + [0] * x
for c in map(int, data[2:2 + n]):
    for s in range(c, x + 1):
        dp[s] += dp[s - c]
print(dp[x])
