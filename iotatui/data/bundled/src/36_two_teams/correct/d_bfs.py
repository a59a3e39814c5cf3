import sys
from collections import deque

def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    g = [[] for _ in range(n + 1)]
    for i in range(m):
        a, b = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        g[a].append(b)
        g[b].append(a)
    color = [-1] * (n + 1)
    comps = 0
    for s in range(1, n + 1):
        if color[s] != -1:
            continue
        comps += 1
        color[s] = 0
        q = deque([s])
        while q:
            v = q.popleft()
            for u in g[v]:
                if color[u] == -1:
                    color[u] = 1 - color[v]
                    q.append(u)
                elif color[u] == color[v]:
                    print(-1)
                    return
    print(pow(2, comps, 10**9 + 7))

main()
