# BUG: sums every cell of every rectangle, O(q * n * m) is too slow
n, m, q = map(int, input().split())
g = [input().strip() for _ in range(n)]
for _ in range(q):
    r1, c1, r2, c2 = map(int, input().split())
    s = 0
    for i in range(r1 - 1, r2):
        row = g[i]
        for j in range(c1 - 1, c2):
            s += ord(row[j]) - 48
    print(s)
