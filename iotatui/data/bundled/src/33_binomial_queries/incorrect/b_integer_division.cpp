// BUG: divides modular residues with '/' (C(n,k) = C(n,k-1) * (n-k+1) / k), which is wrong modulo a prime
#include <bits/stdc++.h>
using namespace std;
const long long MOD = 1000000007;
int main() {
    int q;
    scanf("%d", &q);
    while (q--) {
        int n, k;
        scanf("%d %d", &n, &k);
        if (k > n) { puts("0"); continue; }
        k = min(k, n - k);
        long long c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - i + 1) / i % MOD;
        printf("%lld\n", c);
    }
}
