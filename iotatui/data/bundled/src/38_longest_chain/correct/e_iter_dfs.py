import sys
input = sys.stdin.readline
n, m = map(int, input().split())
g = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b = map(int, input().split())
    g[a].append(b)
# iterative post-order DFS: longest path starting at each vertex
best = [-1] * (n + 1)
for s in range(1, n + 1):
    if best[s] != -1:
        continue
    stack = [(s, 0)]
    while stack:
        v, i = stack.pop()
        if i < len(g[v]):
            stack.append((v, i + 1))
            u = g[v][i]
            if best[u] == -1:
                stack.append((u, 0))
        else:
            best[v] = max((best[u] + 1 for u in g[v]), default=0)
print(max(best[1:]))
