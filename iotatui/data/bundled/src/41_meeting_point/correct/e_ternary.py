n = int(input())
fr = [tuple(map(int, input().split())) for _ in range(n)]
inv = [(x, 1.0 / v) for x, v in fr]

def worst(p):
    return max(abs(x - p) * w for x, w in inv)

lo = min(x for x, _ in fr)
hi = max(x for x, _ in fr)
for _ in range(80):
    m1 = lo + (hi - lo) / 3
    m2 = hi - (hi - lo) / 3
    if worst(m1) < worst(m2):
        hi = m2
    else:
        lo = m1
print(f"{worst((lo + hi) / 2):.9f}")
