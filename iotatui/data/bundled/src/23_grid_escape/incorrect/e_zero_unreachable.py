# BUG: prints the default 0 instead of -1 when the exit is unreachable
import sys
from collections import deque

data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
g = data[2:2 + n]
dist = [[0] * m for _ in range(n)]
seen = [[False] * m for _ in range(n)]
q = deque()
er = ec = 0
for i in range(n):
    for j in range(m):
        if g[i][j] == 'S':
            seen[i][j] = True
            q.append((i, j))
        if g[i][j] == 'E':
            er, ec = i, j
while q:
    r, c = q.popleft()
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= nr < n and 0 <= nc < m and g[nr][nc] != '#' and not seen[nr][nc]:
            seen[nr][nc] = True
            dist[nr][nc] = dist[r][c] + 1
            q.append((nr, nc))
print(dist[er][ec])
