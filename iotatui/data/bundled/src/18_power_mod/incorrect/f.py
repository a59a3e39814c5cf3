# BUG: for odd b it multiplies by the unreduced half instead of a
def power(a, b, m):
    if b == 0:
        return 1 % m
    half = power(a, b // 2, m)
    res = half * half % m
    return res * half % m if b % 2 else res


for _ in range(int(input())):
    a, b, m = map(int, input().split())
    print(power(a % m, b, m))
