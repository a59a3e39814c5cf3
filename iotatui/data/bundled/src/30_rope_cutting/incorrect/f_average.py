# BUG: assumes the answer is total length // k, ignoring that pieces cannot span two ropes
n, k = map(int, input().split())
ropes = list(map(int, input().split()))
x = sum(ropes) // k
print(min(x, max(ropes)))
