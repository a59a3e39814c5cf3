import sys

lines = sys.stdin.read().split()
out = []
for s in lines[1:]:
    h, m = int(s[:2]), int(s[3:])
    half = abs((h % 12) * 60 + m - 12 * m)
    half = min(half, 720 - half)
    out.append(f"{half / 2:.1f}")
print("\n".join(out))
