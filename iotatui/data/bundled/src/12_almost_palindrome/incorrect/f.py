# BUG: after the first mismatch it skips both characters instead of one
s = input().strip()
i, j = 0, len(s) - 1
mism = 0
while i < j:
    if s[i] != s[j]:
        mism += 1
    i += 1
    j -= 1
print("YES" if mism <= 1 else "NO")
