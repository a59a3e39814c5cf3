// BUG: the answer is counted in int and overflows (up to ~2e10 pairs)
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    long long x;
    scanf("%d %lld", &n, &x);
    vector<long long> a(n);
    for (auto &v : a) scanf("%lld", &v);
    sort(a.begin(), a.end());
    int ans = 0;
    int l = 0, r = n - 1;
    while (l < r) {
        if (a[l] + a[r] <= x) ans += r - l, l++;
        else r--;
    }
    printf("%d\n", ans);
}
