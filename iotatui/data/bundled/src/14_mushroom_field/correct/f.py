n, m, q = map(int, input().split())
pre = [[0] * (m + 1) for _ in range(n + 1)]
for i in range(1, n + 1):
    s = input().strip()
    up = pre[i - 1]
    cur = pre[i]
    for j in range(1, m + 1):
        cur[j] = cur[j - 1] + up[j] - up[j - 1] + ord(s[j - 1]) - 48
out = []
for _ in range(q):
    r1, c1, r2, c2 = map(int, input().split())
    out.append(str(pre[r2][c2] - pre[r1 - 1][c2] - pre[r2][c1 - 1] + pre[r1 - 1][c1 - 1]))
print("\n".join(out))
