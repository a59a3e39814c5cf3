n = int(input())
x = list(map(int, input().split()))
v = list(map(int, input().split()))


def need(p):
    return max(abs(a - p) / b for a, b in zip(x, v))


lo, hi = float(min(x)), float(max(x))
for _ in range(100):
    m1 = lo + (hi - lo) / 3
    m2 = hi - (hi - lo) / 3
    if need(m1) < need(m2):
        hi = m2
    else:
        lo = m1
print(f"{need((lo + hi) / 2):.12f}")
