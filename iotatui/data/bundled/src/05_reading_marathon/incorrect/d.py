# BUG: tries every starting book, O(n^2) when t is large
n, t = map(int, input().split())
a = list(map(int, input().split()))
best = 0
for i in range(n):
    s = 0
    cnt = 0
    for j in range(i, n):
        if s + a[j] > t:
            break
        s += a[j]
        cnt += 1
    best = max(best, cnt)
print(best)
