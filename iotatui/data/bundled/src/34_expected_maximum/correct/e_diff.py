import sys
m, n = map(int, sys.stdin.read().split())
ans = 0.0
prev = 0.0
for k in range(1, m + 1):
    cur = pow(k / m, n)
    ans += k * (cur - prev)
    prev = cur
print("%.10f" % ans)
