from collections import deque

n, k = map(int, input().split())
q = deque(sorted(map(int, input().split())))
boats = 0
while q:
    heavy = q.pop()
    if q and q[0] + heavy <= k:
        q.popleft()
    boats += 1
print(boats)
