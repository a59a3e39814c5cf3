import sys

s = sys.stdin.readline().strip()
n = len(s)


def ok(l, r):
    while l < r:
        if s[l] != s[r]:
            return False
        l += 1
        r -= 1
    return True


l, r = 0, n - 1
ans = True
while l < r:
    if s[l] != s[r]:
        ans = ok(l + 1, r) or ok(l, r - 1)
        break
    l += 1
    r -= 1
print("YES" if ans else "NO")
