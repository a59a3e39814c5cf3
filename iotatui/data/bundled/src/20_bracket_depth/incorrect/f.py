# BUG: never checks that the stack is empty at the end, so unclosed brackets pass
s = input().strip()
match = {")": "(", "]": "[", "}": "{"}
st = []
best = 0
for c in s:
    if c in match:
        if not st or st.pop() != match[c]:
            best = -1
            break
    else:
        st.append(c)
        best = max(best, len(st))
print(best)
