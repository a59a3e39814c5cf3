# BUG: swaps in place without skipping, so a girl can move several places in one second
n, t = map(int, input().split())
q = list(input().strip())
for _ in range(t):
    for i in range(n - 1):
        if q[i] == "B" and q[i + 1] == "G":
            q[i], q[i + 1] = q[i + 1], q[i]
print("".join(q))
