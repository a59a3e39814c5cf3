# BUG: accepts a bit when a single number has it (needs at least two numbers)
n = int(input())
a = list(map(int, input().split()))
ans = 0
for b in range(29, -1, -1):
    cand = ans | (1 << b)
    if sum(1 for x in a if x & cand == cand) >= 1:
        ans = cand
print(ans)
