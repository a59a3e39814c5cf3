import sys

s = sys.stdin.readline().strip()
parts = []
cnt = 1
for i in range(1, len(s)):
    if s[i] == s[i - 1]:
        cnt += 1
    else:
        parts.append(s[i - 1] + str(cnt))
        cnt = 1
parts.append(s[-1] + str(cnt))
print("".join(parts))
