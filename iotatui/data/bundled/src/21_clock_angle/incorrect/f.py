# BUG: the hour hand does not move with the minutes
t = int(input())
for _ in range(t):
    h, m = map(int, input().split(":"))
    d = abs((h % 12) * 30 - m * 6)
    print("%.6f" % min(d, 360 - d))
