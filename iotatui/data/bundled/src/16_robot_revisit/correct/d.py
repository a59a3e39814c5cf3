n = int(input())
s = input().strip()
moves = {"L": (-1, 0), "R": (1, 0), "U": (0, 1), "D": (0, -1)}
x = y = 0
seen = {(0, 0)}
ans = -1
for i, c in enumerate(s, 1):
    dx, dy = moves[c]
    x += dx
    y += dy
    if (x, y) in seen:
        ans = i
        break
    seen.add((x, y))
print(ans)
