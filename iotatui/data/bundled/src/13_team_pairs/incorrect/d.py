# BUG: wrong greedy, pairs neighbours after sorting
n = int(input())
a = sorted(map(int, input().split()))
print(max(a[i] + a[i + 1] for i in range(0, 2 * n, 2)))
