# BUG: counts mismatches position by position plus the length difference (ignores shifting by insert/delete)
s = input().strip()
t = input().strip()
print(sum(a != b for a, b in zip(s, t)) + abs(len(s) - len(t)))
