# BUG: tries all 2^n subsets: exponential, too slow for n = 100
import sys

sys.setrecursionlimit(10000)
data = sys.stdin.read().split()
n, W = int(data[0]), int(data[1])
items = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(n)]

def go(i, cap):
    if i == n:
        return 0
    best = go(i + 1, cap)
    w, v = items[i]
    if w <= cap:
        best = max(best, go(i + 1, cap - w) + v)
    return best

print(go(0, W))
