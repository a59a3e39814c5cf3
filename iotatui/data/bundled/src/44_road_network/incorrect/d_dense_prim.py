# BUG: O(n^2) Prim with a linear scan for the closest city: too slow for n = 10^4 in Python
import sys
data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
for i in range(m):
    a, b, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
    adj[a].append((b, w))
    adj[b].append((a, w))
INF = float('inf')
dist = [INF] * (n + 1)
used = [False] * (n + 1)
dist[1] = 0
total = 0
for _ in range(n):
    v = -1
    for u in range(1, n + 1):
        if not used[u] and (v == -1 or dist[u] < dist[v]):
            v = u
    if dist[v] == INF:
        print(-1)
        sys.exit()
    used[v] = True
    total += dist[v]
    for u, w in adj[v]:
        if not used[u] and w < dist[u]:
            dist[u] = w
print(total)
