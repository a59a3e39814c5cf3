s = input().strip()
pairs = {"(": ")", "[": "]", "{": "}"}
expected = []
depth = 0
bad = False
for ch in s:
    if ch in pairs:
        expected.append(pairs[ch])
        depth = max(depth, len(expected))
    elif expected and expected[-1] == ch:
        expected.pop()
    else:
        bad = True
        break
print(-1 if bad or expected else depth)
