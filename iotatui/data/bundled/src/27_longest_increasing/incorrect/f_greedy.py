# BUG: greedy from the smallest starting element: takes every next larger value, which is not optimal
n = int(input())
a = list(map(int, input().split()))
best = 0
for start in sorted(set(range(n)), key=lambda i: a[i])[:3]:
    last, cnt = a[start], 1
    for x in a[start + 1:]:
        if x > last:
            last, cnt = x, cnt + 1
    best = max(best, cnt)
print(best)
