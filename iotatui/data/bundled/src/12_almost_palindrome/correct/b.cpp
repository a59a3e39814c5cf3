#include <cstdio>
#include <cstring>
char s[100005];
int n;
bool check(int l, int r, bool skipped) {
    while (l < r) {
        if (s[l] != s[r]) {
            if (skipped) return false;
            return check(l + 1, r, true) || check(l, r - 1, true);
        }
        l++, r--;
    }
    return true;
}
int main() {
    scanf("%s", s);
    n = strlen(s);
    puts(check(0, n - 1, false) ? "YES" : "NO");
}
