#include <cstdio>
#include <vector>
#include <numeric>
std::vector<int> p;
int find(int x) { while (p[x] != x) x = p[x] = p[p[x]]; return x; }
char g[305][305];
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    for (int i = 0; i < n; i++) scanf("%s", g[i]);
    p.resize(n * m);
    std::iota(p.begin(), p.end(), 0);
    int comps = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            if (g[i][j] != '#') continue;
            comps++;
            if (i > 0 && g[i - 1][j] == '#') {
                int a = find(i * m + j), b = find((i - 1) * m + j);
                if (a != b) { p[a] = b; comps--; }
            }
            if (j > 0 && g[i][j - 1] == '#') {
                int a = find(i * m + j), b = find(i * m + j - 1);
                if (a != b) { p[a] = b; comps--; }
            }
        }
    printf("%d\n", comps);
}
