# BUG: computes the huge power exactly before taking the remainder, far too slow
t = int(input())
for _ in range(t):
    a, b, m = map(int, input().split())
    print(a ** b % m)
