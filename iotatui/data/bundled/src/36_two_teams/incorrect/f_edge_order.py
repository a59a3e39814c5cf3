# BUG: colours students edge by edge in input order without propagating, so two already-coloured groups joined later may clash
import sys
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
color = [-1] * (n + 1)
bad = False
for i in range(m):
    a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
    if color[a] == -1 and color[b] == -1:
        color[a], color[b] = 0, 1
    elif color[a] == -1:
        color[a] = 1 - color[b]
    elif color[b] == -1:
        color[b] = 1 - color[a]
    elif color[a] == color[b]:
        bad = True
# components: count with a DSU
p = list(range(n + 1))

def find(x):
    while p[x] != x:
        p[x] = p[p[x]]
        x = p[x]
    return x

for i in range(m):
    p[find(int(data[2 + 2 * i]))] = find(int(data[3 + 2 * i]))
comps = sum(1 for v in range(1, n + 1) if find(v) == v)
print(-1 if bad else pow(2, comps, 10**9 + 7))
