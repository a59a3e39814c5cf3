#include <cstdio>
#include <unordered_set>
int main() {
    int n;
    static char s[100005];
    scanf("%d %s", &n, s);
    std::unordered_set<long long> seen;
    seen.reserve(2 * n + 10);
    long long x = 0, y = 0;
    seen.insert(200000LL * 1000003LL + 200000);
    for (int i = 0; i < n; i++) {
        switch (s[i]) {
            case 'L': x--; break;
            case 'R': x++; break;
            case 'U': y++; break;
            default: y--;
        }
        long long key = (x + 200000) * 1000003LL + (y + 200000);
        if (!seen.insert(key).second) {
            printf("%d\n", i + 1);
            return 0;
        }
    }
    printf("-1\n");
}
