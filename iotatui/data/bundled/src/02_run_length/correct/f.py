import re

s = input().strip()
print("".join(m.group(1) + str(len(m.group(0))) for m in re.finditer(r"(.)\1*", s)))
