import sys


def main():
    data = sys.stdin.read().split()
    q = int(data[0])
    qs = [(int(data[1 + 2 * k]), int(data[2 + 2 * k])) for k in range(q)]
    n = max(r for _, r in qs)
    s = bytearray([1]) * (n + 1)
    s[0] = 0
    if n >= 1:
        s[1] = 0
    p = 2
    while p * p <= n:
        if s[p]:
            s[p * p::p] = b"\x00" * ((n - p * p) // p + 1)
        p += 1
    cnt = [0] * (n + 1)
    c = 0
    for i in range(n + 1):
        c += s[i]
        cnt[i] = c
    print("\n".join(str(cnt[r] - (cnt[l - 1] if l > 0 else 0)) for l, r in qs))


main()
