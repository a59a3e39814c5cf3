MOD = 10**9 + 7
n, x = map(int, input().split())
coins = list(map(int, input().split()))
ways = [1] + [0] * x
for c in coins:
    if c > x:
        continue
    # running sums along each residue class modulo c
    for r in range(c):
        acc = 0
        for s in range(r, x + 1, c):
            acc = (acc + ways[s]) % MOD
            ways[s] = acc
print(ways[x])
