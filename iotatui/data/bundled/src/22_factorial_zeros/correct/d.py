t = int(input())
for _ in range(t):
    n = int(input())
    z = 0
    while n:
        n //= 5
        z += n
    print(z)
