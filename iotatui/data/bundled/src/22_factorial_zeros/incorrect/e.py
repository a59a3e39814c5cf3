# BUG: computes n! exactly and counts zeros in the string, far too slow
import math

t = int(input())
for _ in range(t):
    n = int(input())
    s = str(math.factorial(n))
    print(len(s) - len(s.rstrip("0")))
