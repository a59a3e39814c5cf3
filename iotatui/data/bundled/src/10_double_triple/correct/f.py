def core(x):
    while x % 6 == 0:
        x //= 6
    while x % 2 == 0:
        x //= 2
    while x % 3 == 0:
        x //= 3
    return x


input()
vals = [core(int(v)) for v in input().split()]
print("Yes" if all(v == vals[0] for v in vals) else "No")
