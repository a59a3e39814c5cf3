// BUG: the last run is never printed
#include <cstdio>
#include <cstring>
char s[100005];
int main() {
    scanf("%s", s);
    int n = strlen(s);
    int cnt = 1;
    for (int i = 1; i < n; i++) {
        if (s[i] == s[i - 1]) cnt++;
        else {
            printf("%c%d", s[i - 1], cnt);
            cnt = 1;
        }
    }
    printf("\n");
}
