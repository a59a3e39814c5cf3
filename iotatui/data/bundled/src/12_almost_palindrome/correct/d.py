s = input().strip()


def is_pal(t):
    return t == t[::-1]


i, j = 0, len(s) - 1
while i < j and s[i] == s[j]:
    i += 1
    j -= 1
if i >= j or is_pal(s[i + 1:j + 1]) or is_pal(s[i:j]):
    print("YES")
else:
    print("NO")
