#include <cstdio>
#include <vector>
#include <algorithm>
struct Edge { int a, b; long long w; };
int par[10005], rnk[10005];
int root(int x) { while (par[x] != x) x = par[x] = par[par[x]]; return x; }
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    std::vector<Edge> e(m);
    for (auto &x : e) scanf("%d %d %lld", &x.a, &x.b, &x.w);
    std::stable_sort(e.begin(), e.end(), [](const Edge &x, const Edge &y) { return x.w < y.w; });
    for (int i = 1; i <= n; i++) par[i] = i;
    long long cost = 0;
    int comps = n;
    for (auto &x : e) {
        int a = root(x.a), b = root(x.b);
        if (a == b) continue;
        if (rnk[a] < rnk[b]) std::swap(a, b);
        par[b] = a;
        if (rnk[a] == rnk[b]) rnk[a]++;
        cost += x.w;
        comps--;
    }
    printf("%lld\n", comps == 1 ? cost : -1);
}
