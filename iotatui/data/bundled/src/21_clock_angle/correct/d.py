t = int(input())
for _ in range(t):
    h, m = map(int, input().split(":"))
    hour = (h % 12) * 30 + m * 0.5
    minute = m * 6
    d = abs(hour - minute)
    print("%.6f" % min(d, 360 - d))
