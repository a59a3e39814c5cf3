# BUG: converts through float, losing precision beyond ~16 digits
a = float(input())
b = float(input())
print(int(a - b))
