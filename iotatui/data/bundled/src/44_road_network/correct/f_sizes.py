n, m = map(int, input().split())
roads = [tuple(map(int, input().split())) for _ in range(m)]
roads.sort(key=lambda r: r[2])
leader = list(range(n + 1))
members = {i: [i] for i in range(1, n + 1)}
cost = 0
for a, b, w in roads:
    la, lb = leader[a], leader[b]
    if la == lb:
        continue
    if len(members[la]) < len(members[lb]):
        la, lb = lb, la
    for v in members[lb]:
        leader[v] = la
    members[la].extend(members.pop(lb))
    cost += w
print(cost if len(members) == 1 else -1)
