s = input().strip()
n = len(s)
k = next((i for i in range(n // 2) if s[i] != s[n - 1 - i]), None)
if k is None:
    print("YES")
else:
    a = s[:k] + s[k + 1:]
    b = s[:n - 1 - k] + s[n - k:]
    print("YES" if a == a[::-1] or b == b[::-1] else "NO")
