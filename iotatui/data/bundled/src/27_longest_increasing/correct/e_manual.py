n = int(input())
a = list(map(int, input().split()))
d = []
for x in a:
    lo, hi = 0, len(d)
    while lo < hi:
        mid = (lo + hi) // 2
        if d[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    if lo == len(d):
        d.append(x)
    else:
        d[lo] = x
print(len(d))
