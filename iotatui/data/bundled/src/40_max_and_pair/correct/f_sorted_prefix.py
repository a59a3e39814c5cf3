import sys
data = sys.stdin.read().split()
n = int(data[0])
a = sorted(map(int, data[1:n + 1]), reverse=True)
# greedy over bits from the top; counting stops as soon as two numbers match the mask
mask = 0
for b in range(29, -1, -1):
    cand = mask | (1 << b)
    cnt = 0
    for x in a:
        if x & cand == cand:
            cnt += 1
            if cnt == 2:
                break
    if cnt == 2:
        mask = cand
print(mask)
