# BUG: uses a strict comparison, so a lecture cannot start when the previous one ends
import sys

data = sys.stdin.read().split()
n = int(data[0])
iv = sorted(((int(data[2 * i + 2]), int(data[2 * i + 1])) for i in range(n)))
cnt = 0
end = -1
for r, l in iv:
    if l > end:
        cnt += 1
        end = r
print(cnt)
