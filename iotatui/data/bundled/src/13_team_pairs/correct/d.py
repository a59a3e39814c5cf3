n = int(input())
a = sorted(map(int, input().split()))
print(max(a[i] + a[2 * n - 1 - i] for i in range(n)))
