# BUG: wrong greedy, restarts from the next book whenever the time runs out
n, t = map(int, input().split())
a = list(map(int, input().split()))
s = cnt = best = 0
for x in a:
    if s + x <= t:
        s += x
        cnt += 1
    else:
        s, cnt = (x, 1) if x <= t else (0, 0)
    best = max(best, cnt)
print(best)
