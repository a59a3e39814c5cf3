# BUG: merges a row segment with the row above only when their first cells line up
n, m = map(int, input().split())
g = [input() for _ in range(n)]
cnt = 0
for i in range(n):
    j = 0
    while j < m:
        if g[i][j] == '#':
            start = j
            while j < m and g[i][j] == '#':
                j += 1
            if i == 0 or g[i - 1][start] != '#':
                cnt += 1
        else:
            j += 1
print(cnt)
