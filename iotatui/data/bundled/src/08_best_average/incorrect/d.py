# BUG: recomputes every window from scratch, O(n * k) is too slow
n, k = map(int, input().split())
a = list(map(int, input().split()))
best = None
for i in range(n - k + 1):
    s = 0
    for j in range(i, i + k):
        s += a[j]
    if best is None or s > best:
        best = s
print("%.9f" % (best / k))
