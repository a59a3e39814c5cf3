# BUG: memoised recursion goes up to |s| + |t| deep and exceeds Python's recursion limit on long words
import sys
from functools import lru_cache
s, t = sys.stdin.read().split()

@lru_cache(maxsize=None)
def go(i, j):
    if i == len(s):
        return len(t) - j
    if j == len(t):
        return len(s) - i
    if s[i] == t[j]:
        return go(i + 1, j + 1)
    return 1 + min(go(i + 1, j), go(i, j + 1), go(i + 1, j + 1))

print(go(0, 0))
