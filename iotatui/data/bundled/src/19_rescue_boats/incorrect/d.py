# BUG: searches the best partner by scanning all remaining people, O(n^2)
n, k = map(int, input().split())
w = sorted(map(int, input().split()), reverse=True)
used = [False] * n
boats = 0
for i in range(n):
    if used[i]:
        continue
    used[i] = True
    best = -1
    for j in range(i + 1, n):
        if not used[j] and w[i] + w[j] <= k:
            best = j
            break
    if best != -1:
        used[best] = True
    boats += 1
print(boats)
