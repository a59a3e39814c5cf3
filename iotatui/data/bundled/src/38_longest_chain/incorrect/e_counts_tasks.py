# BUG: prints the number of tasks in the chain (vertices) instead of dependencies (edges)
from collections import deque
n, m = map(int, input().split())
g = [[] for _ in range(n + 1)]
indeg = [0] * (n + 1)
for _ in range(m):
    a, b = map(int, input().split())
    g[a].append(b)
    indeg[b] += 1
dp = [1] * (n + 1)
q = deque(v for v in range(1, n + 1) if indeg[v] == 0)
while q:
    v = q.popleft()
    for u in g[v]:
        dp[u] = max(dp[u], dp[v] + 1)
        indeg[u] -= 1
        if indeg[u] == 0:
            q.append(u)
print(max(dp[1:]))
