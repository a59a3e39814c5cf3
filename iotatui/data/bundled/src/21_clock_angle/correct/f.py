from fractions import Fraction

for _ in range(int(input())):
    hh, mm = input().strip().split(":")
    h, m = int(hh) % 12, int(mm)
    angle = abs(Fraction(60 * h - 11 * m, 2)) % 360
    print(float(min(angle, 360 - angle)))
