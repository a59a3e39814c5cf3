n, t = map(int, input().split())
s = input().strip()
for _ in range(t):
    s = s.replace("BG", "GB")
print(s)
