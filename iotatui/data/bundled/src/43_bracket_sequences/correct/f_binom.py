MOD = 1_000_000_007
t = int(input())
qs = [int(input()) for _ in range(t)]
top = max(qs) + 1
fact = [1] * (top + 1)
for i in range(1, top + 1):
    fact[i] = fact[i - 1] * i % MOD

def binom(n, k):
    if k < 0 or k > n:
        return 0
    return fact[n] * pow(fact[k] * fact[n - k] % MOD, MOD - 2, MOD) % MOD

for n in qs:
    print(0 if n % 2 else (binom(n, n // 2) - binom(n, n // 2 + 1)) % MOD)
