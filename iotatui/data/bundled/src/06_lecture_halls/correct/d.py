import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
iv = sorted(zip(map(int, data[2::2]), map(int, data[1::2])))
cnt = 0
end = -1
for r, l in iv:
    if l >= end:
        cnt += 1
        end = r
print(cnt)
