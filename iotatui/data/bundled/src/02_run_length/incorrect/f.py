# BUG: writes the run length as a single character, wrong for runs of 10 or more
from itertools import groupby

s = input().strip()
print("".join(ch + chr(ord("0") + len(list(g))) for ch, g in groupby(s)))
