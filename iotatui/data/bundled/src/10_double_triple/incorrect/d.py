# BUG: only removes factors of 2, forgetting that piles can also be tripled
n = int(input())
a = list(map(int, input().split()))
cores = set()
for x in a:
    while x % 2 == 0:
        x //= 2
    cores.add(x)
print("Yes" if len(cores) == 1 else "No")
