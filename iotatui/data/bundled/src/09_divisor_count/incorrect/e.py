# BUG: range(1, r) stops before sqrt(n), missing the divisor r and its partner
t = int(input())
for _ in range(t):
    n = int(input())
    r = int(n ** 0.5)
    cnt = 0
    for d in range(1, r):
        if n % d == 0:
            cnt += 2
    print(max(cnt, 1))
