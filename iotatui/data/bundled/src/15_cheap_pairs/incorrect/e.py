# BUG: bisect_left counts only sums strictly below x
from bisect import bisect_left

n, x = map(int, input().split())
a = sorted(map(int, input().split()))
ans = 0
for i in range(n):
    ans += max(0, bisect_left(a, x - a[i], i + 1) - (i + 1))
print(ans)
