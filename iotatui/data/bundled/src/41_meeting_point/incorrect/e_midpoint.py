# BUG: assumes the best meeting point is the midpoint between the leftmost and rightmost friends
n = int(input())
fr = [tuple(map(int, input().split())) for _ in range(n)]
p = (min(x for x, _ in fr) + max(x for x, _ in fr)) / 2
print("%.9f" % max(abs(x - p) / v for x, v in fr))
