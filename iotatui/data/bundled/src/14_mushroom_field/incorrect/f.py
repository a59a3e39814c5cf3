# BUG: builds row prefix sums only and forgets to add the rows above, so it sums just the last row
n, m, q = map(int, input().split())
R = []
for _ in range(n):
    s = input().strip()
    acc = [0]
    for ch in s:
        acc.append(acc[-1] + int(ch))
    R.append(acc)
for _ in range(q):
    r1, c1, r2, c2 = map(int, input().split())
    print(R[r2 - 1][c2] - R[r2 - 1][c1 - 1] + (R[r1 - 1][c2] - R[r1 - 1][c1 - 1] if r1 != r2 else 0))
