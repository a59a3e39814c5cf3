# BUG: off-by-one, p < n misses the last power of five when n is exactly a power of five
t = int(input())
for _ in range(t):
    n = int(input())
    z = 0
    p = 5
    while p < n:
        z += n // p
        p *= 5
    print(z)
