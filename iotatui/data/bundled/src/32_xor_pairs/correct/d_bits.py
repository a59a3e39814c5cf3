import sys

def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:n + 1]))
    total = 0
    for b in range(30):
        ones = sum((x >> b) & 1 for x in a)
        total += ones * (n - ones) << b
    print(total)

main()
