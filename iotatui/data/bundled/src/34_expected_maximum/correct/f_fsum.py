import math
m, n = map(int, input().split())
tail = math.fsum((k / m) ** n for k in range(1, m))
print("{:.8f}".format(m - tail))
