# BUG: reads the dimensions as "m n", which breaks on non-square orchards
import sys

data = sys.stdin.read().split()
m, n = int(data[0]), int(data[1])
rows = data[2:]
MOD = 10**9 + 7
prev = [0] * m
for i in range(n):
    cur = [0] * m
    for j in range(m):
        if j >= len(rows[i]) or rows[i][j] == '#':
            continue
        if i == 0 and j == 0:
            cur[j] = 1
        else:
            cur[j] = (prev[j] + (cur[j - 1] if j else 0)) % MOD
    prev = cur
print(prev[m - 1])
