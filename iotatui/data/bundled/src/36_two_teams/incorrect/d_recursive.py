# BUG: recursive DFS without a raised recursion limit crashes on a long chain of rivals
import sys
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
g = [[] for _ in range(n + 1)]
for i in range(m):
    a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    g[a].append(b)
    g[b].append(a)
color = [-1] * (n + 1)

def dfs(v, c):
    color[v] = c
    for u in g[v]:
        if color[u] == -1:
            if not dfs(u, 1 - c):
                return False
        elif color[u] == c:
            return False
    return True

comps = 0
ok = True
for s in range(1, n + 1):
    if color[s] == -1:
        comps += 1
        ok = ok and dfs(s, 0)
print(pow(2, comps, 10**9 + 7) if ok else -1)
