# BUG: omits the length of runs of length 1 (a different compression format)
from itertools import groupby

s = input().strip()
out = []
for ch, g in groupby(s):
    k = len(list(g))
    out.append(ch + (str(k) if k > 1 else ""))
print("".join(out))
