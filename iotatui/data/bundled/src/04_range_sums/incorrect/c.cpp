// BUG: the running sum is accumulated in int before being stored in long long
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, q;
    scanf("%d %d", &n, &q);
    vector<long long> pre(n + 1, 0);
    int run = 0;
    for (int i = 1; i <= n; i++) {
        int x;
        scanf("%d", &x);
        run += x;
        pre[i] = run;
    }
    while (q--) {
        int l, r;
        scanf("%d %d", &l, &r);
        printf("%lld\n", pre[r] - pre[l - 1]);
    }
}
