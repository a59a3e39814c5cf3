#include <cstdio>
#include <vector>
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<long long> row(m + 1, 0);
    static char s[512];
    for (int i = 0; i < n; i++) {
        scanf("%s", s);
        for (int j = 1; j <= m; j++) {
            if (s[j - 1] == '#') row[j] = 0;
            else if (i == 0 && j == 1) row[j] = 1;
            else row[j] = (row[j] + row[j - 1]) % 1000000007LL;
        }
    }
    printf("%lld\n", row[m]);
}
