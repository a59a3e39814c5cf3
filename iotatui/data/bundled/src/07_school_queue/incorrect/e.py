# BUG: loop bound n - 2 never looks at the last pair of positions
n, t = map(int, input().split())
s = input().strip()
for _ in range(t):
    nxt = list(s)
    for i in range(n - 2):
        if s[i] == "B" and s[i + 1] == "G":
            nxt[i], nxt[i + 1] = "G", "B"
    s = "".join(nxt)
print(s)
