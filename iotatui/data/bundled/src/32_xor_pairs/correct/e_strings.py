n = int(input())
a = list(map(int, input().split()))
# count ones per bit position using 30-character binary strings
ones = [0] * 30
for x in a:
    s = format(x, '030b')
    for i, ch in enumerate(s):
        if ch == '1':
            ones[i] += 1
ans = 0
for i, c in enumerate(ones):
    ans += c * (n - c) * (1 << (29 - i))
print(ans)
