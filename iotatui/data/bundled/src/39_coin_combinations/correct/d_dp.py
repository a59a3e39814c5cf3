import sys

def main():
    data = sys.stdin.buffer.read().split()
    n, x = int(data[0]), int(data[1])
    coins = list(map(int, data[2:2 + n]))
    MOD = 10**9 + 7
    dp = [0] * (x + 1)
    dp[0] = 1
    for c in coins:
        for s in range(c, x + 1):
            dp[s] = (dp[s] + dp[s - c]) % MOD
    print(dp[x])

main()
