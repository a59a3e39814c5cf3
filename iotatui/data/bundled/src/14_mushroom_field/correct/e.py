import sys
from itertools import accumulate

input = sys.stdin.readline
n, m, q = map(int, input().split())
P = [[0] * (m + 1)]
for _ in range(n):
    row = list(accumulate(map(int, input().strip()), initial=0))
    last = P[-1]
    P.append([x + y for x, y in zip(row, last)])
res = []
for _ in range(q):
    r1, c1, r2, c2 = map(int, input().split())
    res.append(P[r2][c2] - P[r1 - 1][c2] - P[r2][c1 - 1] + P[r1 - 1][c1 - 1])
print("\n".join(map(str, res)))
