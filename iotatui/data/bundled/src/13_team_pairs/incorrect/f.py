# BUG: wrong formula, assumes the answer is the largest plus the smallest skill
n = int(input())
a = list(map(int, input().split()))
print(max(a) + min(a))
