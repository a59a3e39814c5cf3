# BUG: tries every number up to n, too slow for n = 1e12
t = int(input())
for _ in range(t):
    n = int(input())
    print(sum(1 for d in range(1, n + 1) if n % d == 0))
