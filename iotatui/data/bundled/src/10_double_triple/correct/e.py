import sys
from math import gcd
from functools import reduce

data = sys.stdin.read().split()
a = list(map(int, data[1:]))
g = reduce(gcd, a)
ok = True
for x in a:
    x //= g
    for p in (2, 3):
        while x % p == 0:
            x //= p
    if x != 1:
        ok = False
        break
print("Yes" if ok else "No")
