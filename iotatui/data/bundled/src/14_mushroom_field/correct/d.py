import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m, q = int(data[0]), int(data[1]), int(data[2])
    prev = [0] * (m + 1)
    P = [prev]
    for i in range(n):
        row = data[3 + i]
        cur = [0] * (m + 1)
        run = 0
        for j in range(m):
            run += row[j] - 48
            cur[j + 1] = prev[j + 1] + run
        P.append(cur)
        prev = cur
    out = []
    pos = 3 + n
    for _ in range(q):
        a, b, c, d = int(data[pos]), int(data[pos + 1]), int(data[pos + 2]), int(data[pos + 3])
        pos += 4
        out.append(P[c][d] - P[a - 1][d] - P[c][b - 1] + P[a - 1][b - 1])
    print("\n".join(map(str, out)))


main()
