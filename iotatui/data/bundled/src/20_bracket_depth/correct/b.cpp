#include <cstdio>
#include <cstring>
char s[100005], st[100005];
int main() {
    scanf("%s", s);
    int n = strlen(s), top = 0, depth = 0;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        char c = s[i];
        const char *open = strchr("([{", c);
        if (open) {
            st[top++] = c;
            if (top > depth) depth = top;
        } else {
            char want = "([{"[strchr(")]}", c) - ")]}"];
            if (top == 0 || st[top - 1] != want) ok = false;
            else top--;
        }
    }
    printf("%d\n", ok && top == 0 ? depth : -1);
}
