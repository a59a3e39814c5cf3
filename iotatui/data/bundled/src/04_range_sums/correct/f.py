import sys

input = sys.stdin.readline

n, q = map(int, input().split())
a = list(map(int, input().split()))
suf = [0] * (n + 2)
for i in range(n, 0, -1):
    suf[i] = suf[i + 1] + a[i - 1]
res = []
for _ in range(q):
    l, r = map(int, input().split())
    res.append(str(suf[l] - suf[r + 1]))
sys.stdout.write("\n".join(res) + "\n")
