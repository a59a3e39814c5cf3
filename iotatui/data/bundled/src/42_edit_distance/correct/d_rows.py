import sys

def main():
    s, t = sys.stdin.read().split()
    m = len(t)
    prev = list(range(m + 1))
    for i, a in enumerate(s, 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            sub = prev[j - 1] + (a != t[j - 1])
            ins = cur[j - 1] + 1
            dele = prev[j] + 1
            cur[j] = min(sub, ins, dele)
        prev = cur
    print(prev[m])

main()
