# BUG: starts the BFS from the first fire only; the other F cells are treated as already-burnt walls
from collections import deque
n, m = map(int, input().split())
g = [input() for _ in range(n)]
t = [[-1] * m for _ in range(n)]
q = deque()
for i in range(n):
    for j in range(m):
        if g[i][j] == 'F' and not q:
            t[i][j] = 0
            q.append((i, j))
while q:
    r, c = q.popleft()
    for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
        if 0 <= a < n and 0 <= b < m and g[a][b] == '.' and t[a][b] == -1:
            t[a][b] = t[r][c] + 1
            q.append((a, b))
ans = 0
for i in range(n):
    for j in range(m):
        if g[i][j] == '.':
            if t[i][j] == -1:
                ans = -1
                break
            ans = max(ans, t[i][j])
    if ans == -1:
        break
print(ans)
