import sys
input = sys.stdin.readline
MOD = 10**9 + 7
t = int(input())
ns = [int(input()) for _ in range(t)]
K = max(ns) // 2 + 1
inv = [0, 1] + [0] * K
for i in range(2, K + 2):
    inv[i] = (MOD - (MOD // i) * inv[MOD % i] % MOD) % MOD
cat = [1] * (K + 1)
for k in range(K):
    cat[k + 1] = cat[k] * (4 * k + 2) % MOD * inv[k + 2] % MOD
sys.stdout.write('\n'.join(str(0 if n % 2 else cat[n // 2]) for n in ns) + '\n')
