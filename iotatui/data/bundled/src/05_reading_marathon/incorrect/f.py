# BUG: only starts from the first book
n, t = map(int, input().split())
a = list(map(int, input().split()))
s = 0
cnt = 0
for x in a:
    if s + x > t:
        break
    s += x
    cnt += 1
print(cnt)
