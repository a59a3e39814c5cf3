import sys
input = sys.stdin.readline
# DSU over 2n nodes: v and v + n are "v in Red" / "v in Blue"; rivals link a with b+n and b with a+n.
n, m = map(int, input().split())
p = list(range(2 * n + 1))

def find(x):
    while p[x] != x:
        p[x] = p[p[x]]
        x = p[x]
    return x

for _ in range(m):
    a, b = map(int, input().split())
    p[find(a)] = find(b + n)
    p[find(b)] = find(a + n)
if any(find(v) == find(v + n) for v in range(1, n + 1)):
    print(-1)
else:
    roots = len({find(v) for v in range(1, 2 * n + 1)})
    print(pow(2, roots // 2, 10**9 + 7))
