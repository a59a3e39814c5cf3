# BUG: treats l and r as 0-based indices
n, q = map(int, input().split())
a = list(map(int, input().split()))
pre = [0]
for x in a:
    pre.append(pre[-1] + x)
for _ in range(q):
    l, r = map(int, input().split())
    r = min(r + 1, n)
    print(pre[r] - pre[l])
