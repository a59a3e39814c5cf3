# BUG: keeps the visited cells in a list, O(n^2) membership checks
n = int(input())
s = input().strip()
x = y = 0
seen = [(0, 0)]
ans = -1
for i, c in enumerate(s, 1):
    if c == "L":
        x -= 1
    elif c == "R":
        x += 1
    elif c == "U":
        y += 1
    else:
        y -= 1
    if (x, y) in seen:
        ans = i
        break
    seen.append((x, y))
print(ans)
