import sys
data = sys.stdin.read().split()
n = int(data[0])
vals = [int(t) for t in data[1:n + 1]]
seen = [0] * 30
ans = 0
for idx, x in enumerate(vals):
    for b in range(30):
        if x >> b & 1:
            ans += (idx - seen[b]) << b
            seen[b] += 1
        else:
            ans += seen[b] << b
print(ans)
