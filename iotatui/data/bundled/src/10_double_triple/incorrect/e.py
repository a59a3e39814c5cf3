# BUG: wrong criterion, only checks that every pile divides six times the largest one
n = int(input())
a = list(map(int, input().split()))
m = max(a) * 6
print("Yes" if all(m % x == 0 for x in a) else "No")
