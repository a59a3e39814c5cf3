#include <cstdio>
#include <cstring>
#include <vector>
char g[305][305];
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    for (int i = 0; i < n; i++) scanf("%s", g[i]);
    std::vector<int> dist(n * m, -1), q(n * m);
    int head = 0, tail = 0, target = -1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            if (g[i][j] == 'S') { dist[i * m + j] = 0; q[tail++] = i * m + j; }
            if (g[i][j] == 'E') target = i * m + j;
        }
    while (head < tail) {
        int v = q[head++], r = v / m, c = v % m;
        const int nb[4][2] = {{r + 1, c}, {r - 1, c}, {r, c + 1}, {r, c - 1}};
        for (auto &p : nb) {
            if (p[0] < 0 || p[0] >= n || p[1] < 0 || p[1] >= m || g[p[0]][p[1]] == '#') continue;
            int u = p[0] * m + p[1];
            if (dist[u] == -1) { dist[u] = dist[v] + 1; q[tail++] = u; }
        }
    }
    printf("%d\n", dist[target]);
}
