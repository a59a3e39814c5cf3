# BUG: counts numbers having the current bit without requiring the bits chosen earlier
n = int(input())
a = list(map(int, input().split()))
ans = 0
for b in range(29, -1, -1):
    if sum(1 for x in a if x >> b & 1) >= 2:
        ans |= 1 << b
print(ans)
