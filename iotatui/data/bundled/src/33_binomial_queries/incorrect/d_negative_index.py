# BUG: no k > n check: inv[n - k] with a negative index silently reads from the end of the list
import sys
MOD = 10**9 + 7
data = sys.stdin.buffer.read().split()
q = int(data[0])
pairs = [(int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(q)]
N = max(max(n, k) for n, k in pairs)
fact = [1] * (N + 1)
for i in range(1, N + 1):
    fact[i] = fact[i - 1] * i % MOD
inv = [1] * (N + 1)
inv[N] = pow(fact[N], MOD - 2, MOD)
for i in range(N, 0, -1):
    inv[i - 1] = inv[i] * i % MOD
print('\n'.join(str(fact[n] * inv[k] % MOD * inv[n - k] % MOD) for n, k in pairs))
