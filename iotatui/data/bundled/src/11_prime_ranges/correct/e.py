import sys
from bisect import bisect_left, bisect_right

N = 10**6
is_p = [True] * (N + 1)
is_p[0] = is_p[1] = False
i = 2
while i * i <= N:
    if is_p[i]:
        is_p[i * i::i] = [False] * len(range(i * i, N + 1, i))
    i += 1
primes = [x for x in range(N + 1) if is_p[x]]
input = sys.stdin.readline
q = int(input())
res = []
for _ in range(q):
    l, r = map(int, input().split())
    res.append(bisect_right(primes, r) - bisect_left(primes, l))
sys.stdout.write("\n".join(map(str, res)) + "\n")
