# BUG: the convolution recurrence C(k+1) = sum C(i) C(k-i) is O(K^2): far too slow for n up to 10^6
import sys
MOD = 10**9 + 7
data = sys.stdin.read().split()
t = int(data[0])
ns = list(map(int, data[1:t + 1]))
K = max(ns) // 2
cat = [1] + [0] * K
for k in range(K):
    s = 0
    for i in range(k + 1):
        s += cat[i] * cat[k - i]
    cat[k + 1] = s % MOD
print('\n'.join(str(0 if n % 2 else cat[n // 2]) for n in ns))
