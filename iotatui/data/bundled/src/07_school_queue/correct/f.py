import sys

n, t = map(int, sys.stdin.readline().split())
s = sys.stdin.readline().strip()
for _ in range(t):
    nxt = list(s)
    for i in range(n - 1):
        if s[i] == "B" and s[i + 1] == "G":
            nxt[i], nxt[i + 1] = "G", "B"
    s = "".join(nxt)
print(s)
