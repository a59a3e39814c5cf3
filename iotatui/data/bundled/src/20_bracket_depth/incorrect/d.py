# BUG: counts str.replace passes as the depth, but one pass can strip several levels (and it is O(n * depth))
s = input().strip()
depth = 0
while True:
    t = s.replace("()", "").replace("[]", "").replace("{}", "")
    if t == s:
        break
    s = t
    depth += 1
print(depth if s == "" else -1)
