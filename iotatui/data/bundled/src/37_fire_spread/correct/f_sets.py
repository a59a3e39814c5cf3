import sys
lines = sys.stdin.read().split()
n, m = int(lines[0]), int(lines[1])
trees = set()
burning = set()
for i in range(n):
    for j, ch in enumerate(lines[2 + i]):
        if ch == '.':
            trees.add((i, j))
        elif ch == 'F':
            burning.add((i, j))
minutes = 0
while trees:
    caught = {p for r, c in burning for p in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)) if p in trees}
    if not caught:
        break
    trees -= caught
    burning = caught
    minutes += 1
print(-1 if trees else minutes)
