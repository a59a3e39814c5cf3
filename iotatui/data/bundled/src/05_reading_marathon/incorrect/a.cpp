// BUG: the window sum is an int and overflows past 2^31
#include <bits/stdc++.h>
using namespace std;
int a[100005];
int main() {
    int n;
    long long t;
    scanf("%d %lld", &n, &t);
    for (int i = 0; i < n; i++) scanf("%d", &a[i]);
    int sum = 0;
    int best = 0, l = 0;
    for (int r = 0; r < n; r++) {
        sum += a[r];
        while (sum > t) sum -= a[l++];
        best = max(best, r - l + 1);
    }
    printf("%d\n", best);
}
