# BUG: merging two users already in one group still adds the sizes
import sys
data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
par = list(range(n + 1))
size = [1] * (n + 1)

def find(x):
    while par[x] != x:
        par[x] = par[par[x]]
        x = par[x]
    return x

out = []
i = 2
for _ in range(q):
    t = data[i]
    if t == '3':
        out.append(str(size[find(int(data[i + 1]))]))
        i += 2
        continue
    a, b = find(int(data[i + 1])), find(int(data[i + 2]))
    i += 3
    if t == '2':
        out.append('YES' if a == b else 'NO')
    else:
        if size[a] > size[b]:
            a, b = b, a
        par[a] = b
        size[b] += size[a]
print('\n'.join(out))
