#include <bits/stdc++.h>
using namespace std;
int n;
vector<long long> pre;
vector<vector<long long>> memo;
long long solve(int l, int r) {  // [l, r)
    if (r - l <= 1) return 0;
    long long &m = memo[l][r];
    if (m >= 0) return m;
    long long best = LLONG_MAX;
    for (int k = l + 1; k < r; k++) best = min(best, solve(l, k) + solve(k, r));
    return m = best + pre[r] - pre[l];
}
int main() {
    scanf("%d", &n);
    pre.assign(n + 1, 0);
    for (int i = 0; i < n; i++) { long long x; scanf("%lld", &x); pre[i + 1] = pre[i] + x; }
    memo.assign(n + 1, vector<long long>(n + 1, -1));
    printf("%lld\n", solve(0, n));
}
