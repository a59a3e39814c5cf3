# BUG: the starting cell is not marked as visited
n = int(input())
s = input().strip()
x = y = 0
seen = set()
ans = -1
for i, c in enumerate(s, 1):
    x += (c == "R") - (c == "L")
    y += (c == "U") - (c == "D")
    if (x, y) in seen:
        ans = i
        break
    seen.add((x, y))
print(ans)
