# BUG: wrong greedy, sorts by start time instead of end time
n = int(input())
reqs = sorted(tuple(map(int, input().split())) for _ in range(n))
ans = 0
free_at = 0
for l, r in reqs:
    if l >= free_at:
        ans += 1
        free_at = r
print(ans)
