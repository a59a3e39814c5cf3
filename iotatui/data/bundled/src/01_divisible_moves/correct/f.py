import sys

input = sys.stdin.readline

def solve():
    t = int(input())
    res = []
    for _ in range(t):
        a, b = map(int, input().split())
        res.append(str((a + b - 1) // b * b - a))
    sys.stdout.write("\n".join(res) + "\n")

solve()
