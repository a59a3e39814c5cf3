def count_divisors(n):
    res = 1
    d = 2
    while d * d <= n:
        if n % d == 0:
            k = 0
            while n % d == 0:
                n //= d
                k += 1
            res *= k + 1
        d += 1
    return res * (2 if n > 1 else 1)


for _ in range(int(input())):
    print(count_divisors(int(input())))
