import sys

def main():
    MOD = 10**9 + 7
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    ns = list(map(int, data[1:t + 1]))
    N = max(ns) + 2
    fact = [1] * (N + 1)
    for i in range(1, N + 1):
        fact[i] = fact[i - 1] * i % MOD
    inv = [1] * (N + 1)
    inv[N] = pow(fact[N], MOD - 2, MOD)
    for i in range(N, 0, -1):
        inv[i - 1] = inv[i] * i % MOD
    out = []
    for n in ns:
        if n % 2:
            out.append(0)
        else:
            k = n // 2
            out.append(fact[2 * k] * inv[k] % MOD * inv[k + 1] % MOD)
    print('\n'.join(map(str, out)))

main()
