n, k = map(int, input().split())
w = sorted(map(int, input().split()), reverse=True)
j = n - 1
ans = 0
i = 0
while i <= j:
    if i < j and w[i] + w[j] <= k:
        j -= 1
    ans += 1
    i += 1
print(ans)
