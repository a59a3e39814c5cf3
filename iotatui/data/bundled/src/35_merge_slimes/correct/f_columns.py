import sys
from itertools import accumulate
data = sys.stdin.buffer.read().split()
n = int(data[0])
pre = [0] + list(accumulate(map(int, data[1:n + 1])))
# left[i][j] and by_end[j][i] both store dp(i, j) so the split loop can zip two rows
left = [[0] * n for _ in range(n)]
by_end = [[0] * n for _ in range(n)]
for j in range(n):
    for i in range(j - 1, -1, -1):
        best = min(map(int.__add__, left[i][i:j], by_end[j][i + 1:j + 1]))
        v = best + pre[j + 1] - pre[i]
        left[i][j] = v
        by_end[j][i] = v
print(left[0][n - 1])
