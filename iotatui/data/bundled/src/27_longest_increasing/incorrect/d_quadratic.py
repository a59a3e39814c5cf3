# BUG: O(n^2) dynamic programming: too slow for n = 2*10^4 in Python
n = int(input())
a = list(map(int, input().split()))
dp = [1] * n
for i in range(n):
    ai = a[i]
    for j in range(i):
        if a[j] < ai and dp[j] + 1 > dp[i]:
            dp[i] = dp[j] + 1
print(max(dp))
