// BUG: sums over all ordered pairs (i, j), i != j, counting every pair twice
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    long long ans = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j) ans += a[i] ^ a[j];
    printf("%lld\n", ans);
}
