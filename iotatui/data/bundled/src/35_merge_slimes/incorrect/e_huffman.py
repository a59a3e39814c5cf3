# BUG: Huffman merging (any two smallest slimes) ignores that only adjacent slimes may merge
import heapq
n = int(input())
h = list(map(int, input().split()))
heapq.heapify(h)
total = 0
while len(h) > 1:
    x = heapq.heappop(h)
    y = heapq.heappop(h)
    total += x + y
    heapq.heappush(h, x + y)
print(total)
