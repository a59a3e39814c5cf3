import sys
from collections import deque


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    g = data[2:2 + n]
    dist = [[-1] * m for _ in range(n)]
    q = deque()
    for i in range(n):
        j = g[i].find('S')
        if j != -1:
            dist[i][j] = 0
            q.append((i, j))
    while q:
        r, c = q.popleft()
        if g[r][c] == 'E':
            print(dist[r][c])
            return
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < n and 0 <= nc < m and g[nr][nc] != '#' and dist[nr][nc] == -1:
                dist[nr][nc] = dist[r][c] + 1
                q.append((nr, nc))
    print(-1)

main()
