// BUG: does not skip merges inside one group, so the group size is added to itself again
#include <bits/stdc++.h>
using namespace std;
int p[10005], s[10005];
int root(int x) { while (p[x] != x) x = p[x] = p[p[x]]; return x; }
int main() {
    int n, q;
    scanf("%d %d", &n, &q);
    for (int i = 1; i <= n; i++) p[i] = i, s[i] = 1;
    while (q--) {
        int t, a, b = 0;
        scanf("%d %d", &t, &a);
        if (t != 3) scanf("%d", &b);
        if (t == 1) {
            int x = root(a), y = root(b);
            p[x] = y;
            s[y] += s[x];
        } else if (t == 2) puts(root(a) == root(b) ? "YES" : "NO");
        else printf("%d\n", s[root(a)]);
    }
}
