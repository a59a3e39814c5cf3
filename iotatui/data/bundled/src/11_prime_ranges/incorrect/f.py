# BUG: the sieve stops at sqrt(N) - 1, so squares of the largest primes below 1000 stay "prime"
import sys
from itertools import accumulate

N = 10**6
sieve = bytearray([1]) * (N + 1)
sieve[0] = sieve[1] = 0
for i in range(2, int(N ** 0.5) - 3):
    if sieve[i]:
        sieve[i * i::i] = bytes(len(range(i * i, N + 1, i)))
pre = list(accumulate(sieve))
data = sys.stdin.buffer.read().split()
q = int(data[0])
print("\n".join(str(pre[int(data[2 + 2 * k])] - pre[int(data[1 + 2 * k]) - 1]) for k in range(q)))
