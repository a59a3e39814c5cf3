import sys


def power(a, b, m):
    r = 1 % m
    a %= m
    while b:
        if b & 1:
            r = r * a % m
        a = a * a % m
        b >>= 1
    return r


data = sys.stdin.read().split()
t = int(data[0])
out = [power(int(data[3 * i + 1]), int(data[3 * i + 2]), int(data[3 * i + 3])) for i in range(t)]
print("\n".join(map(str, out)))
