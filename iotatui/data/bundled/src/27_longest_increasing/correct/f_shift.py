import bisect

# For integers, "first tail >= x" is the same position as bisect_right(tails, x - 1).
n = int(input())
a = list(map(int, input().split()))
tails = []
for x in a:
    i = bisect.bisect_right(tails, x - 1)
    if i < len(tails):
        tails[i] = x
    else:
        tails.append(x)
print(len(tails))
