#include <cstdio>
#include <cstring>
int main() {
    int n, t;
    char s[64], nx[64];
    scanf("%d %d %s", &n, &t, s);
    for (int k = 0; k < t; k++) {
        strcpy(nx, s);
        for (int i = 0; i + 1 < n; i++)
            if (s[i] == 'B' && s[i + 1] == 'G') nx[i] = 'G', nx[i + 1] = 'B';
        strcpy(s, nx);
    }
    printf("%s\n", s);
}
