n = int(input())
a = list(map(int, input().split()))
cores = set()
for x in a:
    while x % 2 == 0:
        x //= 2
    while x % 3 == 0:
        x //= 3
    cores.add(x)
print("Yes" if len(cores) == 1 else "No")
