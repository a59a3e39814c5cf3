# BUG: uses if instead of while, so only one factor of 2 and one of 3 are removed
n = int(input())
a = list(map(int, input().split()))
cores = set()
for x in a:
    if x % 2 == 0:
        x //= 2
    if x % 3 == 0:
        x //= 3
    cores.add(x)
print("Yes" if len(cores) == 1 else "No")
