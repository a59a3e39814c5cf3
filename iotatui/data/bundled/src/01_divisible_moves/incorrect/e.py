# BUG: prints b instead of 0 when a is already divisible by b
import sys

data = sys.stdin.read().split()
t = int(data[0])
for i in range(t):
    a, b = int(data[2 * i + 1]), int(data[2 * i + 2])
    print(b - a % b)
