n, m = map(int, input().split())
adj = [[] for _ in range(n + 1)]
for _ in range(m):
    a, b = map(int, input().split())
    adj[a].append(b)
    adj[b].append(a)
team = [0] * (n + 1)
ans = 1
ok = True
for s in range(1, n + 1):
    if team[s] or not ok:
        continue
    ans = ans * 2 % 1000000007
    team[s] = 1
    stack = [s]
    while stack and ok:
        v = stack.pop()
        for u in adj[v]:
            if team[u] == 0:
                team[u] = -team[v]
                stack.append(u)
            elif team[u] == team[v]:
                ok = False
                break
print(ans if ok else -1)
