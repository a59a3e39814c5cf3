#include <cstdio>
#include <vector>
char g[305][305];
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    int trees = 0;
    std::vector<int> cur;
    for (int i = 0; i < n; i++) {
        scanf("%s", g[i]);
        for (int j = 0; j < m; j++) {
            if (g[i][j] == '.') trees++;
            if (g[i][j] == 'F') cur.push_back(i * m + j);
        }
    }
    int minutes = 0;
    while (trees > 0 && !cur.empty()) {
        std::vector<int> nxt;
        for (int v : cur) {
            int r = v / m, c = v % m;
            int nb[4][2] = {{r + 1, c}, {r - 1, c}, {r, c + 1}, {r, c - 1}};
            for (auto &p : nb)
                if (p[0] >= 0 && p[0] < n && p[1] >= 0 && p[1] < m && g[p[0]][p[1]] == '.') {
                    g[p[0]][p[1]] = 'F';
                    trees--;
                    nxt.push_back(p[0] * m + p[1]);
                }
        }
        cur.swap(nxt);
        if (!cur.empty()) minutes++;
    }
    printf("%d\n", trees > 0 ? -1 : minutes);
}
