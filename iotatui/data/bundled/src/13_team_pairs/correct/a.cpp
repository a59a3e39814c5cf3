#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<long long> a(2 * n);
    for (auto &x : a) scanf("%lld", &x);
    sort(a.begin(), a.end());
    long long best = 0;
    for (int i = 0; i < n; i++) best = max(best, a[i] + a[2 * n - 1 - i]);
    printf("%lld\n", best);
}
