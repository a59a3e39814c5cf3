s = input().strip()
match = {")": "(", "]": "[", "}": "{"}
st = []
best = 0
ok = True
for c in s:
    if c in match:
        if not st or st[-1] != match[c]:
            ok = False
            break
        st.pop()
    else:
        st.append(c)
        best = max(best, len(st))
print(best if ok and not st else -1)
