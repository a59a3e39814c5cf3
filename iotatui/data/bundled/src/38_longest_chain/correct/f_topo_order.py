n, m = map(int, input().split())
edges = [tuple(map(int, input().split())) for _ in range(m)]
adj = [[] for _ in range(n + 1)]
indeg = [0] * (n + 1)
for a, b in edges:
    adj[a].append(b)
    indeg[b] += 1
order = [v for v in range(1, n + 1) if indeg[v] == 0]
for v in order:  # the list grows while we iterate: a BFS-style topological order
    for u in adj[v]:
        indeg[u] -= 1
        if indeg[u] == 0:
            order.append(u)
longest = [0] * (n + 1)
for v in order:
    for u in adj[v]:
        longest[u] = max(longest[u], longest[v] + 1)
print(max(longest))
