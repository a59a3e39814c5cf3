import sys

data = sys.stdin.read().split()
out = []
for tok in data[1:]:
    n = int(tok)
    z = 0
    p = 5
    while p <= n:
        z += n // p
        p *= 5
    out.append(z)
print("\n".join(map(str, out)))
