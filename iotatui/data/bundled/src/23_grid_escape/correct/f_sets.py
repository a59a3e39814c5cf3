n, m = map(int, input().split())
free = set()
start = end = None
for i in range(n):
    row = input()
    for j, ch in enumerate(row[:m]):
        if ch != '#':
            free.add((i, j))
        if ch == 'S':
            start = (i, j)
        elif ch == 'E':
            end = (i, j)
seen = {start}
layer = [start]
steps = 0
answer = -1
while layer:
    if end in seen:
        answer = steps
        break
    new = []
    for r, c in layer:
        for p in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if p in free and p not in seen:
                seen.add(p)
                new.append(p)
    layer = new
    steps += 1
print(answer)
