#include <cstdio>
int d[20005];
int main() {
    int n, len = 0;
    scanf("%d", &n);
    for (int i = 0; i < n; i++) {
        int x;
        scanf("%d", &x);
        int lo = 0, hi = len;  // first index with d[idx] >= x
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (d[mid] < x) lo = mid + 1; else hi = mid;
        }
        d[lo] = x;
        if (lo == len) len++;
    }
    printf("%d\n", len);
}
