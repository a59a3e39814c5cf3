# BUG: forgets the unreachable case and prints "inf" instead of -1
import sys
from heapq import heappop, heappush

input = sys.stdin.readline
n, m = map(int, input().split())
g = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b, w = map(int, input().split())
    g[a].append((w, b))
    g[b].append((w, a))
dist = [float('inf')] * (n + 1)
dist[1] = 0
pq = [(0, 1)]
while pq:
    d, v = heappop(pq)
    if d > dist[v]:
        continue
    for w, u in g[v]:
        if d + w < dist[u]:
            dist[u] = d + w
            heappush(pq, (d + w, u))
print(dist[n])
