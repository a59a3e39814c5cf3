// BUG: binary search over integer times, but the optimal time is usually fractional
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<long long> x(n), v(n);
    for (int i = 0; i < n; i++) scanf("%lld %lld", &x[i], &v[i]);
    long long lo = 0, hi = 1000000;
    while (lo < hi) {
        long long t = (lo + hi) / 2, L = LLONG_MIN, R = LLONG_MAX;
        for (int i = 0; i < n; i++) { L = max(L, x[i] - v[i] * t); R = min(R, x[i] + v[i] * t); }
        if (L <= R) hi = t; else lo = t + 1;
    }
    printf("%lld.000000000\n", lo);
}
