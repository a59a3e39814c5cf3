import sys
from heapq import heappop, heappush

input = sys.stdin.readline

n, m = map(int, input().split())
g = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b, w = map(int, input().split())
    g[a].append((w, b))
    g[b].append((w, a))
INF = float('inf')
dist = [INF] * (n + 1)
dist[1] = 0
pq = [(0, 1)]
while pq:
    d, v = heappop(pq)
    if d > dist[v]:
        continue
    for w, u in g[v]:
        nd = d + w
        if nd < dist[u]:
            dist[u] = nd
            heappush(pq, (nd, u))
print(dist[n] if dist[n] != INF else -1)
