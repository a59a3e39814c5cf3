# BUG: sorts the (a, b, w) tuples directly, i.e. by city number instead of by cost
import sys
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
roads = [(int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])) for i in range(m)]
roads.sort()
parent = list(range(n + 1))

def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x

total = joined = 0
for a, b, w in roads:
    ra, rb = find(a), find(b)
    if ra != rb:
        parent[ra] = rb
        total += w
        joined += 1
print(total if joined == n - 1 else -1)
