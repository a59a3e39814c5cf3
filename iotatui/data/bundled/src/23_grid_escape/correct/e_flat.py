import sys

input = sys.stdin.readline

n, m = map(int, input().split())
# Pad the grid with a wall border so no bounds checks are needed.
w = m + 2
cells = ['#'] * w
for _ in range(n):
    cells += ['#'] + list(input().strip()) + ['#']
cells += ['#'] * w
start = cells.index('S')
end = cells.index('E')
dist = [-1] * len(cells)
dist[start] = 0
frontier = [start]
while frontier and dist[end] == -1:
    nxt = []
    for v in frontier:
        d = dist[v] + 1
        for u in (v - 1, v + 1, v - w, v + w):
            if dist[u] == -1 and cells[u] != '#':
                dist[u] = d
                nxt.append(u)
    frontier = nxt
print(dist[end])
