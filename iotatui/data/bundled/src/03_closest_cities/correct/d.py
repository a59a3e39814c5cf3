n = int(input())
a = sorted(map(int, input().split()))
best = None
cnt = 0
for i in range(n - 1):
    d = a[i + 1] - a[i]
    if best is None or d < best:
        best, cnt = d, 1
    elif d == best:
        cnt += 1
print(best, cnt)
