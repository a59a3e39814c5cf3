# BUG: iterates over max(a).bit_length() - 1 bits, dropping the highest bit
n = int(input())
a = list(map(int, input().split()))
total = 0
for b in range(max(a).bit_length() - 1):
    ones = sum(1 for x in a if x >> b & 1)
    total += ones * (n - ones) * (1 << b)
print(total)
