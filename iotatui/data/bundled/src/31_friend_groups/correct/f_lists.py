n, q = map(int, input().split())
group = list(range(n + 1))
members = [[i] for i in range(n + 1)]
answers = []
for _ in range(q):
    parts = input().split()
    if parts[0] == '3':
        answers.append(len(members[group[int(parts[1])]]))
        continue
    x, y = group[int(parts[1])], group[int(parts[2])]
    if parts[0] == '2':
        answers.append('YES' if x == y else 'NO')
    elif x != y:
        if len(members[x]) < len(members[y]):
            x, y = y, x
        for v in members[y]:
            group[v] = x
        members[x].extend(members[y])
        members[y] = []
print(*answers, sep='\n')
