// BUG: the best sum starts at 0, wrong when every window has a negative sum
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, k;
    scanf("%d %d", &n, &k);
    vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    long long s = 0, best = 0;
    for (int i = 0; i < n; i++) {
        s += a[i];
        if (i >= k) s -= a[i - k];
        if (i >= k - 1) best = max(best, s);
    }
    printf("%.9f\n", (double)best / k);
}
