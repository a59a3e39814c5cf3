#include <cstdio>
// Streams the array: each new element pairs with all earlier ones, per bit.
int main() {
    int n;
    scanf("%d", &n);
    long long cnt[30] = {0}, ans = 0;
    for (int i = 0; i < n; i++) {
        int x;
        scanf("%d", &x);
        for (int b = 0; b < 30; b++) {
            long long ones = cnt[b];
            if (x >> b & 1) { ans += (long long)(i - ones) << b; cnt[b]++; }
            else ans += ones << b;
        }
    }
    printf("%lld\n", ans);
}
