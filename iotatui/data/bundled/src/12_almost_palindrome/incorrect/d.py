# BUG: on a mismatch only tries deleting the left character
s = input().strip()
i, j = 0, len(s) - 1
used = False
ok = True
while i < j:
    if s[i] == s[j]:
        i += 1
        j -= 1
    elif not used:
        used = True
        i += 1
    else:
        ok = False
        break
print("YES" if ok else "NO")
