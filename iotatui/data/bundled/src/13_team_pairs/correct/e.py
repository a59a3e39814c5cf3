import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
a = sorted(map(int, data[1:2 * n + 1]))
best = 0
l, r = 0, 2 * n - 1
while l < r:
    s = a[l] + a[r]
    if s > best:
        best = s
    l += 1
    r -= 1
print(best)
