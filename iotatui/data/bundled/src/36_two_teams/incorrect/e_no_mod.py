# BUG: prints 2**components without taking it modulo 10^9 + 7
from collections import deque
n, m = map(int, input().split())
g = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b = map(int, input().split())
    g[a].append(b)
    g[b].append(a)
color = [-1] * (n + 1)
comps = 0
bad = False
for s in range(1, n + 1):
    if color[s] != -1:
        continue
    comps += 1
    color[s] = 0
    q = deque([s])
    while q:
        v = q.popleft()
        for u in g[v]:
            if color[u] == -1:
                color[u] = color[v] ^ 1
                q.append(u)
            elif color[u] == color[v]:
                bad = True
print(-1 if bad else 2 ** comps)
