def power(a, b, m):
    if b == 0:
        return 1 % m
    half = power(a, b // 2, m)
    res = half * half % m
    return res * a % m if b % 2 else res


for _ in range(int(input())):
    a, b, m = map(int, input().split())
    print(power(a % m, b, m))
