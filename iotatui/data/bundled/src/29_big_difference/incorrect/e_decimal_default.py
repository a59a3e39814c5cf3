# BUG: Decimal with the default 28-digit precision rounds the result (and prints it in E notation)
from decimal import Decimal
a = Decimal(input())
b = Decimal(input())
print(a - b)
