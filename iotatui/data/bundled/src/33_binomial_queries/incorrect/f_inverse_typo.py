# BUG: the inverse-factorial recurrence multiplies by (i - 1) instead of i
MOD = 10**9 + 7
q = int(input())
qs = [tuple(map(int, input().split())) for _ in range(q)]
N = max(max(p) for p in qs)
fact = [1] * (N + 1)
for i in range(1, N + 1):
    fact[i] = fact[i - 1] * i % MOD
inv_fact = [1] * (N + 1)
inv_fact[N] = pow(fact[N], MOD - 2, MOD)
for i in range(N, 1, -1):
    inv_fact[i - 1] = inv_fact[i] * (i - 1) % MOD
for n, k in qs:
    print(0 if k > n else fact[n] * inv_fact[k] % MOD * inv_fact[n - k] % MOD)
