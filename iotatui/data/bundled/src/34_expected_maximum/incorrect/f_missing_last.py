# BUG: the sum stops at k = m - 1 and forgets the term for the maximum face k = m
m, n = map(int, input().split())
ans = 0.0
prev = 0.0
for k in range(1, m):
    cur = (k / m) ** n
    ans += k * (cur - prev)
    prev = cur
print("%.9f" % ans)
