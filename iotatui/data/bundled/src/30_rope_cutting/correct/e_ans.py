n, k = map(int, input().split())
a = list(map(int, input().split()))
lo, hi, ans = 1, max(a), 0
while lo <= hi:
    mid = (lo + hi) // 2
    cnt = 0
    for x in a:
        cnt += x // mid
    if cnt >= k:
        ans = mid
        lo = mid + 1
    else:
        hi = mid - 1
print(ans)
