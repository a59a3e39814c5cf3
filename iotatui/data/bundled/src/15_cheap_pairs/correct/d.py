import sys

data = sys.stdin.buffer.read().split()
n, x = int(data[0]), int(data[1])
a = sorted(map(int, data[2:2 + n]))
ans = 0
l, r = 0, n - 1
while l < r:
    if a[l] + a[r] <= x:
        ans += r - l
        l += 1
    else:
        r -= 1
print(ans)
