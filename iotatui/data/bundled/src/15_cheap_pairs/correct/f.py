from bisect import bisect_right
from collections import Counter

n, x = map(int, input().split())
a = list(map(int, input().split()))
vals = sorted(a)
ordered = sum(bisect_right(vals, x - v) for v in a)
self_pairs = sum(1 for v in a if 2 * v <= x)
print((ordered - self_pairs) // 2)
