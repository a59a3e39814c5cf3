# BUG: checks every pair, O(n^2) is too slow for n = 2e5
n = int(input())
a = list(map(int, input().split()))
best = None
cnt = 0
for i in range(n):
    for j in range(i + 1, n):
        d = abs(a[i] - a[j])
        if best is None or d < best:
            best, cnt = d, 1
        elif d == best:
            cnt += 1
print(best, cnt)
