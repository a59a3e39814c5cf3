# BUG: wrong greedy, pairs the two lightest people first
n, k = map(int, input().split())
w = sorted(map(int, input().split()))
boats = 0
i = 0
while i < n:
    if i + 1 < n and w[i] + w[i + 1] <= k:
        i += 2
    else:
        i += 1
    boats += 1
print(boats)
