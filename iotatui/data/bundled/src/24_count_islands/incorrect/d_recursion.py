# BUG: recursive DFS without raising the recursion limit: RecursionError on a long snake-shaped island
n, m = map(int, input().split())
g = [list(input()) for _ in range(n)]

def dfs(r, c):
    if r < 0 or r >= n or c < 0 or c >= m or g[r][c] != '#':
        return
    g[r][c] = '.'
    dfs(r + 1, c)
    dfs(r - 1, c)
    dfs(r, c + 1)
    dfs(r, c - 1)

cnt = 0
for i in range(n):
    for j in range(m):
        if g[i][j] == '#':
            cnt += 1
            dfs(i, j)
print(cnt)
