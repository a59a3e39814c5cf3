# BUG: forgets the leftover prime factor greater than sqrt(n)
t = int(input())
for _ in range(t):
    n = int(input())
    ans = 1
    p = 2
    while p * p <= n:
        e = 0
        while n % p == 0:
            n //= p
            e += 1
        ans *= e + 1
        p += 1
    print(ans)
