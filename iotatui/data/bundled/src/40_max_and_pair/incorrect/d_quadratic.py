# BUG: checks all pairs: O(n^2), too slow in Python for n = 1.5*10^4
n = int(input())
a = list(map(int, input().split()))
best = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        v = ai & a[j]
        if v > best:
            best = v
print(best)
