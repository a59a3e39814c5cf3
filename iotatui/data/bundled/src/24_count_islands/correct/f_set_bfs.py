import sys
from collections import deque

lines = sys.stdin.read().split()
n, m = int(lines[0]), int(lines[1])
land = {(i, j) for i in range(n) for j, ch in enumerate(lines[2 + i]) if ch == '#'}
islands = 0
while land:
    islands += 1
    q = deque([land.pop()])
    while q:
        r, c = q.popleft()
        for p in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if p in land:
                land.remove(p)
                q.append(p)
print(islands)
