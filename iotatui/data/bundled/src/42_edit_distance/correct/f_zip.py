s = input().strip()
t = input().strip()
if len(s) < len(t):
    s, t = t, s  # distance is symmetric; keep the shorter string as the row
prev = list(range(len(t) + 1))
for i, ch in enumerate(s, 1):
    cur = [i]
    for j, (c, diag, up) in enumerate(zip(t, prev, prev[1:]), 1):
        cur.append(min(up + 1, cur[j - 1] + 1, diag + (ch != c)))
    prev = cur
print(prev[-1])
