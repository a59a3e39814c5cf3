import sys
# Bisection on the time: at time t friend i can reach [x - v t, x + v t]; they can meet iff the intervals overlap.
data = sys.stdin.read().split()
n = int(data[0])
xs = [int(data[1 + 2 * i]) for i in range(n)]
vs = [int(data[2 + 2 * i]) for i in range(n)]
lo, hi = 0.0, 1e6
for _ in range(64):
    t = (lo + hi) / 2
    L = max(x - v * t for x, v in zip(xs, vs))
    R = min(x + v * t for x, v in zip(xs, vs))
    if L <= R:
        hi = t
    else:
        lo = t
print("{:.8f}".format(hi))
