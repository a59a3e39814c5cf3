import sys
input = sys.stdin.readline
MOD = 1_000_000_007
q = int(input())
queries = [tuple(map(int, input().split())) for _ in range(q)]
top = max(n for n, _ in queries)
f = [1] * (top + 1)
for i in range(2, top + 1):
    f[i] = f[i - 1] * i % MOD
res = []
for n, k in queries:
    if k > n:
        res.append(0)
    else:
        res.append(f[n] * pow(f[k] * f[n - k] % MOD, -1, MOD) % MOD)
sys.stdout.write('\n'.join(map(str, res)) + '\n')
