# BUG: dp[u] = dp[v] + 1 keeps the last predecessor popped (stack order), not the maximum over predecessors
import sys
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
g = [[] for _ in range(n + 1)]
indeg = [0] * (n + 1)
for i in range(m):
    a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    g[a].append(b)
    indeg[b] += 1
dp = [0] * (n + 1)
q = [v for v in range(1, n + 1) if indeg[v] == 0]
while q:
    v = q.pop()
    for u in g[v]:
        dp[u] = dp[v] + 1
        indeg[u] -= 1
        if indeg[u] == 0:
            q.append(u)
print(max(dp))
