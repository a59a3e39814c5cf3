# BUG: rounds the answer to two decimals
import sys

data = sys.stdin.read().split()
n = int(data[0])
x = list(map(int, data[1:1 + n]))
v = list(map(int, data[1 + n:1 + 2 * n]))
lo, hi = 0.0, 2e6
for _ in range(100):
    t = (lo + hi) / 2
    if max(a - b * t for a, b in zip(x, v)) <= min(a + b * t for a, b in zip(x, v)):
        hi = t
    else:
        lo = t
print(round(hi, 2))
