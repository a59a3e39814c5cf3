# BUG: floor division m // 2 drops the half degree of the hour hand
t = int(input())
for _ in range(t):
    h, m = map(int, input().split(":"))
    d = abs((h % 12) * 30 + m // 2 - m * 6)
    print(min(d, 360 - d))
