import sys


def main():
    data = sys.stdin.read().split()
    n, m = int(data[0]), int(data[1])
    g = [list(row) for row in data[2:2 + n]]
    count = 0
    for i in range(n):
        for j in range(m):
            if g[i][j] != '#':
                continue
            count += 1
            g[i][j] = '.'
            stack = [(i, j)]
            while stack:
                r, c = stack.pop()
                for a, b in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= a < n and 0 <= b < m and g[a][b] == '#':
                        g[a][b] = '.'
                        stack.append((a, b))
    print(count)

main()
