# BUG: only '.' cells are treated as walkable, so the exit cell 'E' is never entered
from collections import deque

n, m = map(int, input().split())
g = [input() for _ in range(n)]
dist = [[-1] * m for _ in range(n)]
q = deque()
for i in range(n):
    for j in range(m):
        if g[i][j] == 'S':
            dist[i][j] = 0
            q.append((i, j))
while q:
    r, c = q.popleft()
    for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= nr < n and 0 <= nc < m and g[nr][nc] == '.' and dist[nr][nc] == -1:
            dist[nr][nc] = dist[r][c] + 1
            q.append((nr, nc))
for i in range(n):
    for j in range(m):
        if g[i][j] == 'E':
            best = -1
            for nr, nc in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                if 0 <= nr < n and 0 <= nc < m and g[nr][nc] == '.' and dist[nr][nc] != -1:
                    if best == -1 or dist[nr][nc] < best:
                        best = dist[nr][nc]
            print(best if best == -1 else best + 1)
