import sys

def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = list(map(int, data[1:2 * n + 1:2]))
    vs = list(map(int, data[2:2 * n + 2:2]))
    pairs = list(zip(xs, vs))
    lo, hi = 0.0, 1e6
    for _ in range(60):
        t = (lo + hi) / 2
        left = max([x - v * t for x, v in pairs])
        right = min([x + v * t for x, v in pairs])
        if left <= right:
            hi = t
        else:
            lo = t
    print("%.9f" % hi)

main()
