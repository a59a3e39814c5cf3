# BUG: only counts multiples of 5 and 25, forgetting higher powers of five
t = int(input())
for _ in range(t):
    n = int(input())
    print(n // 5 + n // 25)
