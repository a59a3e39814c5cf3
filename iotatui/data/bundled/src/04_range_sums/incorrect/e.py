# BUG: the loop building the prefix sums starts at index 1, so a_1 is never added
import sys

data = sys.stdin.read().split()
n, q = int(data[0]), int(data[1])
a = list(map(int, data[2:2 + n]))
pre = [0] * (n + 1)
for i in range(1, n):
    pre[i + 1] = pre[i] + a[i]
out = []
for k in range(q):
    l, r = int(data[2 + n + 2 * k]), int(data[3 + n + 2 * k])
    out.append(str(pre[r] - pre[l - 1]))
print("\n".join(out))
