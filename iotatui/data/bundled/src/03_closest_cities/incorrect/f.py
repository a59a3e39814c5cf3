# BUG: the counter is not reset when a smaller distance is found
n = int(input())
a = sorted(map(int, input().split()))
best = 10**19
cnt = 0
for i in range(n - 1):
    d = a[i + 1] - a[i]
    if d <= best:
        best = d
        cnt += 1
print(best, cnt)
