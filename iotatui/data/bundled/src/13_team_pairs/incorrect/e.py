# BUG: forgets to sort, pairs the programmers in input order from both ends
n = int(input())
a = list(map(int, input().split()))
print(max(a[i] + a[2 * n - 1 - i] for i in range(n)))
