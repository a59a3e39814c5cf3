# BUG: k**n / m**n on exact integers: huge numbers, slow, and OverflowError when converting to float
m, n = map(int, input().split())
ans = 0.0
prev = 0.0
for k in range(1, m + 1):
    cur = k ** n / m ** n
    ans += k * (cur - prev)
    prev = cur
print("%.9f" % ans)
