import sys


def main():
    input = sys.stdin.readline
    n = int(input())
    x = list(map(int, input().split()))
    v = list(map(int, input().split()))
    lo, hi = 0.0, 1e6
    for _ in range(90):
        mid = (lo + hi) / 2
        left = max(a - b * mid for a, b in zip(x, v))
        right = min(a + b * mid for a, b in zip(x, v))
        if left <= right:
            hi = mid
        else:
            lo = mid
    print("{:.10f}".format((lo + hi) / 2))


main()
