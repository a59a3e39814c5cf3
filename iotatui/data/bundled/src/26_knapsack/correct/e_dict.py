n, W = map(int, input().split())
items = [tuple(map(int, input().split())) for _ in range(n)]
# states: total weight -> best value; keep only useful states
best = {0: 0}
for w, v in items:
    new = dict(best)
    for cw, cv in best.items():
        nw = cw + w
        if nw <= W and new.get(nw, -1) < cv + v:
            new[nw] = cv + v
    best = new
print(max(best.values()))
