# BUG: counts open brackets without checking their types, so "([)]" is accepted
s = input().strip()
bal = best = 0
for c in s:
    bal += 1 if c in "([{" else -1
    if bal < 0:
        break
    best = max(best, bal)
print(best if bal == 0 else -1)
