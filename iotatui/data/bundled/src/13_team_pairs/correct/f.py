n = int(input())
a = list(map(int, input().split()))
a.sort()
lo = a[:n]
hi = a[n:][::-1]
print(max(x + y for x, y in zip(lo, hi)))
