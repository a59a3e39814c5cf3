import sys
input = sys.stdin.readline


def main():
    n = int(input())
    v = []
    for _ in range(n):
        l, r = map(int, input().split())
        v.append((l, r))
    v.sort(reverse=True)
    cnt = 0
    bound = float("inf")
    for l, r in v:
        if r <= bound:
            cnt += 1
            bound = l
    print(cnt)


main()
