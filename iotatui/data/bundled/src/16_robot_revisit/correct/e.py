import sys


def main():
    data = sys.stdin.read().split()
    s = data[1]
    x = y = 0
    seen = {0}
    for i, c in enumerate(s):
        if c == "L":
            x -= 1
        elif c == "R":
            x += 1
        elif c == "U":
            y += 1
        else:
            y -= 1
        key = x * 1000003 + y
        if key in seen:
            print(i + 1)
            return
        seen.add(key)
    print(-1)


main()
