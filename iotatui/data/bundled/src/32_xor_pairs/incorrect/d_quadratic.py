# BUG: O(n^2) double loop: too slow for n = 1.5*10^4 in Python
n = int(input())
a = list(map(int, input().split()))
s = 0
for i in range(n):
    ai = a[i]
    for j in range(i + 1, n):
        s += ai ^ a[j]
print(s)
