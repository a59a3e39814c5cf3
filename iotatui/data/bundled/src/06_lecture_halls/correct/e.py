n = int(input())
reqs = [tuple(map(int, input().split())) for _ in range(n)]
reqs.sort(key=lambda x: x[1])
ans = 0
free_at = 0
for l, r in reqs:
    if l >= free_at:
        ans += 1
        free_at = r
print(ans)
