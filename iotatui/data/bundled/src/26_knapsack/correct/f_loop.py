import sys

input = sys.stdin.readline
n, W = map(int, input().split())
dp = [0] * (W + 1)
for _ in range(n):
    w, v = map(int, input().split())
    for c in range(W, w - 1, -1):
        cand = dp[c - w] + v
        if cand > dp[c]:
            dp[c] = cand
print(dp[W])
