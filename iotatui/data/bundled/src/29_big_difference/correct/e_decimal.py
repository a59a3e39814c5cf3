import sys
from decimal import Decimal, getcontext
getcontext().prec = 2100  # enough digits for exact arithmetic on 1000-digit numbers
a, b = sys.stdin.read().split()
print(Decimal(a) - Decimal(b))
