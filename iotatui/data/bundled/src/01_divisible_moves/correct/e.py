import sys

data = sys.stdin.read().split()
t = int(data[0])
out = []
for i in range(t):
    a = int(data[1 + 2 * i])
    b = int(data[2 + 2 * i])
    r = a % b
    out.append(0 if r == 0 else b - r)
print("\n".join(map(str, out)))
