# BUG: math.comb builds the exact huge binomial for every query: far too slow for n ~ 10^6 and q = 10^4
import sys
from math import comb
data = sys.stdin.read().split()
q = int(data[0])
out = []
for i in range(q):
    n, k = int(data[1 + 2 * i]), int(data[2 + 2 * i])
    out.append(comb(n, k) % (10**9 + 7))
print('\n'.join(map(str, out)))
