# BUG: ties on the end time are broken by start, and the free moment starts at 1 instead of 0
n = int(input())
reqs = [tuple(map(int, input().split())) for _ in range(n)]
reqs.sort(key=lambda x: (x[1], x[0]))
ans = 0
free_at = 1
for l, r in reqs:
    if l >= free_at:
        ans += 1
        free_at = r
print(ans)
