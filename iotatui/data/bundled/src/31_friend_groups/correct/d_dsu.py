import sys

def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    parent = list(range(n + 1))
    size = [1] * (n + 1)

    def find(x):
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    out = []
    pos = 2
    for _ in range(q):
        t, a = int(data[pos]), int(data[pos + 1])
        if t == 3:
            out.append(str(size[find(a)]))
            pos += 2
            continue
        b = int(data[pos + 2])
        pos += 3
        ra, rb = find(a), find(b)
        if t == 2:
            out.append("YES" if ra == rb else "NO")
        elif ra != rb:
            if size[ra] < size[rb]:
                ra, rb = rb, ra
            parent[rb] = ra
            size[ra] += size[rb]
    print("\n".join(out))

main()
