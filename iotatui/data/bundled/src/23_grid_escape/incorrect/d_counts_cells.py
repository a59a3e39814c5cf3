# BUG: counts the cells on the path (including S) instead of the moves: off by one
from collections import deque

n, m = map(int, input().split())
g = [input() for _ in range(n)]
dist = [[0] * m for _ in range(n)]
q = deque()
for i in range(n):
    for j in range(m):
        if g[i][j] == 'S':
            dist[i][j] = 1
            q.append((i, j))
ans = -1
while q:
    r, c = q.popleft()
    if g[r][c] == 'E':
        ans = dist[r][c]
        break
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= nr < n and 0 <= nc < m and g[nr][nc] != '#' and dist[nr][nc] == 0:
            dist[nr][nc] = dist[r][c] + 1
            q.append((nr, nc))
print(ans)
