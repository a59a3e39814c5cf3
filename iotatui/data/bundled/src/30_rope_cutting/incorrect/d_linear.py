# BUG: tries every length from the longest rope downwards: O(max L * n), far too slow
n, k = map(int, input().split())
ropes = list(map(int, input().split()))
x = max(ropes)
while x > 0 and sum(r // x for r in ropes) < k:
    x -= 1
print(x)
