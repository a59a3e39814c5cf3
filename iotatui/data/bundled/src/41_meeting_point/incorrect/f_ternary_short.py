# BUG: ternary search with only 25 iterations leaves an interval of ~10^6 * (2/3)^25 ~ 40
import sys
data = sys.stdin.read().split()
n = int(data[0])
fr = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n)]

def worst(p):
    return max(abs(x - p) / v for x, v in fr)

lo, hi = 0.0, 1e6
for _ in range(25):
    m1 = lo + (hi - lo) / 3
    m2 = hi - (hi - lo) / 3
    if worst(m1) < worst(m2):
        hi = m2
    else:
        lo = m1
print("%.9f" % worst((lo + hi) / 2))
