import heapq
from collections import defaultdict

n, m = map(int, input().split())
best_edge = defaultdict(lambda: None)
graph = defaultdict(dict)
for _ in range(m):
    a, b, w = map(int, input().split())
    if a == b:
        continue
    # keep only the cheapest of parallel roads
    if b not in graph[a] or w < graph[a][b]:
        graph[a][b] = w
        graph[b][a] = w
final = {}
heap = [(0, 1)]
while heap:
    d, v = heapq.heappop(heap)
    if v in final:
        continue
    final[v] = d
    for u, w in graph[v].items():
        if u not in final:
            heapq.heappush(heap, (d + w, u))
print(final.get(n, -1))
