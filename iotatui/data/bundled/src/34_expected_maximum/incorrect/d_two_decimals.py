# BUG: prints only two digits after the decimal point
m, n = map(int, input().split())
e = float(m)
for k in range(1, m):
    e -= (k / m) ** n
print("%.2f" % e)
