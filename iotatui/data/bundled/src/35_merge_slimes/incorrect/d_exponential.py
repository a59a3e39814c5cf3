# BUG: plain recursion without memoisation: exponential time
import sys
data = sys.stdin.read().split()
n = int(data[0])
a = list(map(int, data[1:n + 1]))
pre = [0]
for x in a:
    pre.append(pre[-1] + x)

def cost(i, j):
    if i == j:
        return 0
    return min(cost(i, k) + cost(k + 1, j) for k in range(i, j)) + pre[j + 1] - pre[i]

print(cost(0, n - 1))
