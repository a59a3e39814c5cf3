n, m = map(int, input().split())
rows = [input().strip() for _ in range(n)]
parent = list(range(n * m))

def find(x):
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root

count = 0
for i in range(n):
    row = rows[i]
    for j in range(m):
        if row[j] != '#':
            continue
        count += 1
        v = i * m + j
        if j and row[j - 1] == '#':
            a, b = find(v), find(v - 1)
            if a != b:
                parent[a] = b
                count -= 1
        if i and rows[i - 1][j] == '#':
            a, b = find(v), find(v - m)
            if a != b:
                parent[a] = b
                count -= 1
print(count)
