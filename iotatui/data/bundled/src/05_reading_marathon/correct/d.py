import sys

data = sys.stdin.buffer.read().split()
n, t = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
s = 0
l = 0
best = 0
for r in range(n):
    s += a[r]
    while s > t:
        s -= a[l]
        l += 1
    if r - l + 1 > best:
        best = r - l + 1
print(best)
