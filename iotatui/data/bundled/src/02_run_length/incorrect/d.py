# BUG: the last run is never printed
s = input().strip()
res = []
cnt = 1
for i in range(1, len(s)):
    if s[i] == s[i - 1]:
        cnt += 1
    else:
        res.append(s[i - 1] + str(cnt))
        cnt = 1
print("".join(res))
