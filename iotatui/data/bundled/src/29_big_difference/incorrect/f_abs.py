# BUG: strips the minus signs before subtracting, so negative inputs are handled as positive
a = input().strip().lstrip('-')
b = input().strip().lstrip('-')
print(int(a) - int(b))
