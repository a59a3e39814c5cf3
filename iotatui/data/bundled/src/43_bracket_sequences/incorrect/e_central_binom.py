# BUG: prints the central binomial coefficient C(n, n/2), forgetting to divide by (n/2 + 1)
import sys
MOD = 10**9 + 7
data = sys.stdin.buffer.read().split()
t = int(data[0])
ns = list(map(int, data[1:t + 1]))
N = max(ns)
fact = [1] * (N + 1)
for i in range(1, N + 1):
    fact[i] = fact[i - 1] * i % MOD
out = []
for n in ns:
    if n % 2:
        out.append(0)
    else:
        k = n // 2
        out.append(fact[n] * pow(fact[k] * fact[k] % MOD, MOD - 2, MOD) % MOD)
print('\n'.join(map(str, out)))
