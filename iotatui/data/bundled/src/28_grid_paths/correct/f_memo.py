import sys

sys.setrecursionlimit(10000)
n, m = map(int, sys.stdin.readline().split())
g = [sys.stdin.readline().strip() for _ in range(n)]
MOD = 10**9 + 7
# Anti-diagonal order keeps the memo shallow: fill ways for d = i + j increasing.
ways = {}
for d in range(n + m - 1):
    for i in range(max(0, d - m + 1), min(n, d + 1)):
        j = d - i
        if g[i][j] == '#':
            ways[i, j] = 0
        elif d == 0:
            ways[i, j] = 1
        else:
            ways[i, j] = (ways.get((i - 1, j), 0) + ways.get((i, j - 1), 0)) % MOD
print(ways[n - 1, m - 1])
