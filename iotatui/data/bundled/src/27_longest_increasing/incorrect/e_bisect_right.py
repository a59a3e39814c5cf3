# BUG: bisect_right allows equal values, computing the longest non-decreasing subsequence
import sys
from bisect import bisect_right

data = sys.stdin.read().split()
n = int(data[0])
tails = []
for x in map(int, data[1:n + 1]):
    i = bisect_right(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
