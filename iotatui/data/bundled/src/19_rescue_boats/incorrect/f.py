# BUG: loop condition l < r forgets the last person when the pointers meet
n, k = map(int, input().split())
w = sorted(map(int, input().split()))
l, r = 0, n - 1
boats = 0
while l < r:
    if w[l] + w[r] <= k:
        l += 1
    r -= 1
    boats += 1
print(max(boats, 1))
