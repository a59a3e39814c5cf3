# BUG: forgets to sort, so only neighbours in input order are compared
n = int(input())
a = list(map(int, input().split()))
diffs = [abs(a[i + 1] - a[i]) for i in range(n - 1)]
m = min(diffs)
print(m, diffs.count(m))
