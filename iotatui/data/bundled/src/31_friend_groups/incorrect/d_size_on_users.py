# BUG: adds the sizes of the users a and b instead of the sizes of their group roots
import sys
input = sys.stdin.readline
n, q = map(int, input().split())
par = list(range(n + 1))
size = [1] * (n + 1)

def find(x):
    while par[x] != x:
        par[x] = par[par[x]]
        x = par[x]
    return x

out = []
for _ in range(q):
    e = list(map(int, input().split()))
    if e[0] == 1:
        a, b = find(e[1]), find(e[2])
        if a != b:
            par[a] = b
            size[b] += size[e[1]]
    elif e[0] == 2:
        out.append('YES' if find(e[1]) == find(e[2]) else 'NO')
    else:
        out.append(str(size[find(e[1])]))
print('\n'.join(out))
