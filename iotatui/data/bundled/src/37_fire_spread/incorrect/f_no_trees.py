# BUG: when there are no trees at all it prints -1 instead of 0
import sys
from collections import deque
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
g = data[2:2 + n]
t = [[-1] * m for _ in range(n)]
q = deque()
for i in range(n):
    for j in range(m):
        if g[i][j] == 'F':
            t[i][j] = 0
            q.append((i, j))
while q:
    r, c = q.popleft()
    for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= a < n and 0 <= b < m and g[a][b] == '.' and t[a][b] == -1:
            t[a][b] = t[r][c] + 1
            q.append((a, b))
times = [t[i][j] for i in range(n) for j in range(m) if g[i][j] == '.']
print(-1 if not times or -1 in times else max(times))
