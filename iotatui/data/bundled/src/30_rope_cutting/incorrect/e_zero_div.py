# BUG: the search range starts at 0, so an impossible case evaluates mid = 0 and divides by zero
n, k = map(int, input().split())
a = list(map(int, input().split()))
lo, hi, ans = 0, max(a), 0
while lo <= hi:
    mid = (lo + hi) // 2
    if sum(x // mid for x in a) >= k:
        ans = mid
        lo = mid + 1
    else:
        hi = mid - 1
print(ans)
