# BUG: returns 1 for b = 0 even when m = 1
t = int(input())
for _ in range(t):
    a, b, m = map(int, input().split())
    r = 1
    a %= m
    while b > 0:
        if b % 2 == 1:
            r = r * a % m
        a = a * a % m
        b //= 2
    print(r)
