n, m = map(int, input().split())
W = m + 2
cells = ['#'] * W
for _ in range(n):
    cells += ['#'] + list(input().strip()) + ['#']
cells += ['#'] * W
trees = cells.count('.')
front = [v for v, ch in enumerate(cells) if ch == 'F']
minutes = 0
while trees and front:
    nxt = []
    for v in front:
        for u in (v - 1, v + 1, v - W, v + W):
            if cells[u] == '.':
                cells[u] = 'F'
                nxt.append(u)
    if nxt:
        minutes += 1
        trees -= len(nxt)
    front = nxt
print(-1 if trees else minutes)
