import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
x = list(map(int, data[1:1 + n]))
v = list(map(int, data[1 + n:1 + 2 * n]))
pairs = list(zip(x, v))
lo, hi = 0.0, 2e6
for _ in range(100):
    t = (lo + hi) / 2
    L = max([a - b * t for a, b in pairs])
    R = min([a + b * t for a, b in pairs])
    if L <= R:
        hi = t
    else:
        lo = t
print("%.12f" % hi)
