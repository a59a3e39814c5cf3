# BUG: checks every pair, O(n^2) is too slow
n, x = map(int, input().split())
a = list(map(int, input().split()))
cnt = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        if ai + a[j] <= x:
            cnt += 1
print(cnt)
