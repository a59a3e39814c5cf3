#include <cstdio>
#include <vector>
int main() {
    int n, x;
    scanf("%d %d", &n, &x);
    std::vector<int> c(n + 1);
    for (int i = 1; i <= n; i++) scanf("%d", &c[i]);
    // ways[i][s]: pay s with the first i kinds; kept as two rows
    std::vector<long long> prev(x + 1, 0), cur(x + 1, 0);
    prev[0] = 1;
    for (int i = 1; i <= n; i++) {
        for (int s = 0; s <= x; s++) {
            cur[s] = prev[s];
            if (s >= c[i]) cur[s] = (cur[s] + cur[s - c[i]]) % 1000000007LL;
        }
        prev.swap(cur);
    }
    printf("%lld\n", prev[x]);
}
