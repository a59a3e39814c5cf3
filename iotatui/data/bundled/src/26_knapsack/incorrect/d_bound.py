# BUG: off-by-one in the capacity loop: range(W, w, -1) never uses the state c == w
import sys

input = sys.stdin.readline
n, W = map(int, input().split())
dp = [0] * (W + 1)
for _ in range(n):
    w, v = map(int, input().split())
    for c in range(W, w, -1):
        if dp[c - w] + v > dp[c]:
            dp[c] = dp[c - w] + v
print(dp[W])
