# BUG: only the first boy-girl pair swaps each second
n, t = map(int, input().split())
s = input().strip()
for _ in range(t):
    s = s.replace("BG", "GB", 1)
print(s)
