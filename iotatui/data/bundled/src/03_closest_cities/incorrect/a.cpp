// BUG: off-by-one in the sort range, the last element stays unsorted
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    sort(a.begin(), a.begin() + n - 1);
    long long best = LLONG_MAX, cnt = 0;
    for (int i = 0; i + 1 < n; i++) {
        long long d = llabs(a[i + 1] - a[i]);
        if (d < best) best = d, cnt = 1;
        else if (d == best) cnt++;
    }
    printf("%lld %lld\n", best, cnt);
}
