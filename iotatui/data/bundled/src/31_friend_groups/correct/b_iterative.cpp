#include <cstdio>
int p[10005], s[10005];
int root(int x) {
    int r = x;
    while (p[r] != r) r = p[r];
    while (p[x] != r) { int nx = p[x]; p[x] = r; x = nx; }
    return r;
}
int main() {
    int n, q;
    scanf("%d %d", &n, &q);
    for (int i = 1; i <= n; i++) p[i] = i, s[i] = 1;
    for (int i = 0; i < q; i++) {
        int t, a, b = 0;
        scanf("%d %d", &t, &a);
        if (t != 3) scanf("%d", &b);
        if (t == 1) {
            int x = root(a), y = root(b);
            if (x != y) { p[x] = y; s[y] += s[x]; }
        } else if (t == 2) {
            puts(root(a) == root(b) ? "YES" : "NO");
        } else {
            printf("%d\n", s[root(a)]);
        }
    }
}
