from fractions import Fraction

n, k = map(int, input().split())
a = list(map(int, input().split()))
window = sum(a[:k])
best = window
for i in range(k, n):
    window = window - a[i - k] + a[i]
    best = max(best, window)
print(format(float(Fraction(best, k)), ".8f"))
