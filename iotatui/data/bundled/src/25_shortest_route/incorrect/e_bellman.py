# BUG: Bellman-Ford is O(n*m): far too slow for n = m = 10^4 when the shortest path tree is deep
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
edges = [(int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])) for i in range(m)]
INF = float('inf')
dist = [INF] * (n + 1)
dist[1] = 0
for _ in range(n - 1):
    changed = False
    for a, b, w in edges:
        if dist[a] + w < dist[b]:
            dist[b] = dist[a] + w
            changed = True
        if dist[b] + w < dist[a]:
            dist[a] = dist[b] + w
            changed = True
    if not changed:
        break
print(dist[n] if dist[n] < INF else -1)
