# BUG: finalises a town when it is first pushed (BFS-style), not when it is popped with the smallest cost
import heapq
import sys

data = sys.stdin.buffer.read().split()
n, m = int(data[0]), int(data[1])
adj = [[] for _ in range(n + 1)]
for i in range(m):
    a, b, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
    adj[a].append((b, w))
    adj[b].append((a, w))
dist = [-1] * (n + 1)
dist[1] = 0
heap = [(0, 1)]
while heap:
    d, v = heapq.heappop(heap)
    for u, w in adj[v]:
        if dist[u] == -1:
            dist[u] = d + w
            heapq.heappush(heap, (d + w, u))
print(dist[n])
