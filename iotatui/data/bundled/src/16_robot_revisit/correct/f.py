n = int(input())
s = input().strip()
pos = complex(0, 0)
step = {"L": -1, "R": 1, "U": 1j, "D": -1j}
visited = {pos: 0}
for i, c in enumerate(s, start=1):
    pos += step[c]
    if pos in visited:
        print(i)
        break
    visited[pos] = i
else:
    print(-1)
