n, t = map(int, input().split())
a = list(map(int, input().split()))
# The window never shrinks: it only slides when it is too long, so its size is the best answer so far.
l = 0
s = 0
for r in range(n):
    s += a[r]
    if s > t:
        s -= a[l]
        l += 1
print(n - l)
