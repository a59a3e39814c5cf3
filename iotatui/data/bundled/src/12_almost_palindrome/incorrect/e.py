# BUG: tries every deletion position with a full check each time, O(n^2)
s = input().strip()
n = len(s)


def pal_without(k):
    i, j = 0, n - 1
    while i < j:
        if i == k:
            i += 1
            continue
        if j == k:
            j -= 1
            continue
        if s[i] != s[j]:
            return False
        i += 1
        j -= 1
    return True


ans = s == s[::-1] or any(pal_without(k) for k in range(n))
print("YES" if ans else "NO")
