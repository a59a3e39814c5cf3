# BUG: the running "from the left" count is not reset at a tree, so routes jump over trees in a row
import sys

data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
MOD = 10**9 + 7
prev = [0] * m
for i in range(n):
    row = data[2 + i]
    cur = [0] * m
    left = 0
    for j in range(m):
        if row[j] == '#':
            cur[j] = 0
            continue
        if i == 0 and j == 0:
            left = 1
        else:
            left = (left + prev[j]) % MOD
        cur[j] = left
    prev = cur
print(prev[m - 1])
