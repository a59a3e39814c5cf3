from collections import Counter

input()
a = list(map(int, input().split()))
a.sort()
c = Counter(a[i] - a[i - 1] for i in range(1, len(a)))
m = min(c)
print(m, c[m])
