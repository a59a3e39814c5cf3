import sys
from itertools import accumulate

N = 10**6
sieve = bytearray([1]) * (N + 1)
sieve[0] = sieve[1] = 0
for i in range(2, int(N ** 0.5) + 1):
    if sieve[i]:
        sieve[i * i::i] = bytes(len(range(i * i, N + 1, i)))
pre = list(accumulate(sieve))
data = sys.stdin.buffer.read().split()
q = int(data[0])
out = []
for k in range(q):
    l, r = int(data[1 + 2 * k]), int(data[2 + 2 * k])
    out.append(pre[r] - pre[l - 1])
print("\n".join(map(str, out)))
