import sys
input = sys.stdin.readline
n, q = map(int, input().split())
par = list(range(n + 1))
cnt = [1] * (n + 1)

def find(x):
    while par[x] != x:
        par[x] = par[par[x]]  # path halving
        x = par[x]
    return x

res = []
for _ in range(q):
    e = input().split()
    if e[0] == '1':
        a, b = find(int(e[1])), find(int(e[2]))
        if a != b:
            if cnt[a] > cnt[b]:
                a, b = b, a
            par[a] = b
            cnt[b] += cnt[a]
    elif e[0] == '2':
        res.append('YES' if find(int(e[1])) == find(int(e[2])) else 'NO')
    else:
        res.append(str(cnt[find(int(e[1]))]))
sys.stdout.write('\n'.join(res) + '\n')
