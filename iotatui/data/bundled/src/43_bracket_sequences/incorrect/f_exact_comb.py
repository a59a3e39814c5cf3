# BUG: computes the exact Catalan number with math.comb for every query: huge integers, too slow
import sys
from math import comb
data = sys.stdin.read().split()
t = int(data[0])
out = []
for n in map(int, data[1:t + 1]):
    if n % 2:
        out.append(0)
    else:
        k = n // 2
        out.append(comb(2 * k, k) // (k + 1) % (10**9 + 7))
print('\n'.join(map(str, out)))
