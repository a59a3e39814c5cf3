# BUG: memoised recursion exceeds Python's default recursion limit on a long chain
import sys
from functools import lru_cache
data = sys.stdin.read().split()
n, m = int(data[0]), int(data[1])
g = [[] for _ in range(n + 1)]
for i in range(m):
    g[int(data[2 + 2 * i])].append(int(data[3 + 2 * i]))

@lru_cache(maxsize=None)
def longest(v):
    return max((longest(u) + 1 for u in g[v]), default=0)

print(max(longest(v) for v in range(1, n + 1)))
