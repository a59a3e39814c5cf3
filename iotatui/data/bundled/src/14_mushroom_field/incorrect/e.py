# BUG: inclusion-exclusion subtracts the corner instead of adding it back
import sys

data = sys.stdin.read().split()
n, m, q = int(data[0]), int(data[1]), int(data[2])
P = [[0] * (m + 1) for _ in range(n + 1)]
for i in range(1, n + 1):
    row = data[2 + i]
    for j in range(1, m + 1):
        P[i][j] = P[i - 1][j] + P[i][j - 1] - P[i - 1][j - 1] + int(row[j - 1])
out = []
pos = 3 + n
for _ in range(q):
    a, b, c, d = map(int, data[pos:pos + 4])
    pos += 4
    out.append(P[c][d] - P[a - 1][d] - P[c][b - 1] - P[a - 1][b - 1])
print("\n".join(map(str, out)))
