# BUG: recursive find hits Python's recursion limit on a long chain (RecursionError)
import sys
input = sys.stdin.readline
n, q = map(int, input().split())
par = list(range(n + 1))
size = [1] * (n + 1)

def find(x):
    if par[x] != x:
        par[x] = find(par[x])
    return par[x]

out = []
for _ in range(q):
    e = list(map(int, input().split()))
    if e[0] == 1:
        a, b = find(e[1]), find(e[2])
        if a != b:
            par[a] = b
            size[b] += size[a]
    elif e[0] == 2:
        out.append('YES' if find(e[1]) == find(e[2]) else 'NO')
    else:
        out.append(str(size[find(e[1])]))
print('\n'.join(out))
