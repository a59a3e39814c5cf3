import heapq
import sys
input = sys.stdin.readline
n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b, w = map(int, input().split())
    adj[a].append((w, b))
    adj[b].append((w, a))
done = [False] * (n + 1)
heap = [(0, 1)]
total = 0
count = 0
while heap:
    w, v = heapq.heappop(heap)
    if done[v]:
        continue
    done[v] = True
    total += w
    count += 1
    for e in adj[v]:
        if not done[e[1]]:
            heapq.heappush(heap, e)
print(total if count == n else -1)
