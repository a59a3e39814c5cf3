# BUG: prints the 0-based index of the command
n = int(input())
s = input().strip()
x = y = 0
seen = {(0, 0)}
ans = -1
for i, c in enumerate(s):
    x += (c == "R") - (c == "L")
    y += (c == "U") - (c == "D")
    if (x, y) in seen:
        ans = i
        break
    seen.add((x, y))
print(ans)
