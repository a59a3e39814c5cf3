import math
import sys

data = sys.stdin.read().split()
for tok in data[1:]:
    n = int(tok)
    r = math.isqrt(n)
    cnt = sum(2 for d in range(1, r + 1) if n % d == 0)
    if r * r == n:
        cnt -= 1
    print(cnt)
