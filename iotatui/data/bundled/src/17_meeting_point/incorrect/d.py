# BUG: checks every pair of friends, O(n^2) is too slow for Python
n = int(input())
x = list(map(int, input().split()))
v = list(map(int, input().split()))
best = 0.0
for i in range(n):
    xi, vi = x[i], v[i]
    for j in range(n):
        if x[j] > xi:
            t = (x[j] - xi) / (vi + v[j])
            if t > best:
                best = t
print("%.12f" % best)
