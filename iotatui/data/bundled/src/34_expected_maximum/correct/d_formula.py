m, n = map(int, input().split())
e = float(m)
for k in range(1, m):
    e -= (k / m) ** n
print(f"{e:.9f}")
