import sys

def main():
    MOD = 10**9 + 7
    data = sys.stdin.buffer.read().split()
    q = int(data[0])
    ns = list(map(int, data[1:2 * q + 1:2]))
    ks = list(map(int, data[2:2 * q + 2:2]))
    N = max(ns)
    fact = [1] * (N + 1)
    for i in range(1, N + 1):
        fact[i] = fact[i - 1] * i % MOD
    inv = [1] * (N + 1)
    inv[N] = pow(fact[N], MOD - 2, MOD)
    for i in range(N, 0, -1):
        inv[i - 1] = inv[i] * i % MOD
    out = []
    for n, k in zip(ns, ks):
        out.append(fact[n] * inv[k] % MOD * inv[n - k] % MOD if k <= n else 0)
    print('\n'.join(map(str, out)))

main()
