#include <cstdio>
#include <cstring>
#include <algorithm>
char s[1005], t[1005];
int prv[1005], cur[1005];
int main() {
    scanf("%s %s", s, t);
    int n = strlen(s), m = strlen(t);
    for (int j = 0; j <= m; j++) prv[j] = j;
    for (int i = 1; i <= n; i++) {
        cur[0] = i;
        for (int j = 1; j <= m; j++)
            cur[j] = std::min(std::min(prv[j], cur[j - 1]) + 1, prv[j - 1] + (s[i - 1] != t[j - 1]));
        std::copy(cur, cur + m + 1, prv);
    }
    printf("%d\n", prv[m]);
}
