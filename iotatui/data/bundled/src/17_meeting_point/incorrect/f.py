# BUG: meets at the average coordinate instead of the optimal point
n = int(input())
x = list(map(int, input().split()))
v = list(map(int, input().split()))
p = sum(x) / n
print("%.12f" % max(abs(a - p) / b for a, b in zip(x, v)))
