# BUG: does not take the smaller of the two angles
t = int(input())
for _ in range(t):
    h, m = map(int, input().split(":"))
    print("%.6f" % abs((h % 12) * 30 + m * 0.5 - m * 6))
