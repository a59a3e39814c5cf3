# BUG: checks all pairs of friends: O(n^2), too slow in Python for n = 10^4
n = int(input())
fr = [tuple(map(int, input().split())) for _ in range(n)]
best = 0.0
for i in range(n):
    xi, vi = fr[i]
    for j in range(i + 1, n):
        xj, vj = fr[j]
        t = abs(xi - xj) / (vi + vj)
        if t > best:
            best = t
print("%.9f" % best)
