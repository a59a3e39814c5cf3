import sys
from itertools import accumulate

data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
p = [0] + list(accumulate(map(int, data[2:2 + n])))
best = max(p[i] - p[i - k] for i in range(k, n + 1))
print(f"{best / k:.10f}")
