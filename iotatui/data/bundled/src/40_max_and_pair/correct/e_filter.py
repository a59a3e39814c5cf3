n = int(input())
nums = list(map(int, input().split()))
res = 0
for bit in reversed(range(30)):
    with_bit = [x for x in nums if x >> bit & 1]
    if len(with_bit) >= 2:
        res |= 1 << bit
        nums = with_bit
print(res)
