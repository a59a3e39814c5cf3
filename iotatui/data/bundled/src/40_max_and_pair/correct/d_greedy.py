import sys

def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:n + 1]))
    ans = 0
    for b in range(29, -1, -1):
        cand = ans | (1 << b)
        if sum(1 for x in a if x & cand == cand) >= 2:
            ans = cand
    print(ans)

main()
