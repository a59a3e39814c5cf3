import sys


def main():
    s = sys.stdin.readline().strip()
    opening = "([{"
    closing = ")]}"
    st = []
    depth = 0
    for c in s:
        k = opening.find(c)
        if k >= 0:
            st.append(k)
            if len(st) > depth:
                depth = len(st)
        else:
            if not st or st.pop() != closing.index(c):
                print(-1)
                return
    print(depth if not st else -1)


main()
