MOD = 10**9 + 7
q = int(input())
qs = [list(map(int, input().split())) for _ in range(q)]
N = max(max(n, k) for n, k in qs)
fact = [1]
for i in range(1, N + 1):
    fact.append(fact[-1] * i % MOD)
inv_fact = [0] * (N + 1)
inv_fact[N] = pow(fact[N], MOD - 2, MOD)
for i in range(N, 0, -1):
    inv_fact[i - 1] = inv_fact[i] * i % MOD
for n, k in qs:
    print(0 if k > n else fact[n] * inv_fact[k] * inv_fact[n - k] % MOD)
