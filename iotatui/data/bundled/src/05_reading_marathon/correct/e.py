from bisect import bisect_right
from itertools import accumulate

n, t = map(int, input().split())
a = list(map(int, input().split()))
p = [0] + list(accumulate(a))
best = 0
for i in range(n):
    j = bisect_right(p, p[i] + t) - 1
    best = max(best, j - i)
print(best)
