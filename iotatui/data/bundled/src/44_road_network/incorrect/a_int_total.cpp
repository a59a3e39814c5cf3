// BUG: the total cost is accumulated in int and overflows (it can reach about 10^13)
#include <bits/stdc++.h>
using namespace std;
vector<int> p;
int find(int x) { return p[x] == x ? x : p[x] = find(p[x]); }
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<array<int, 3>> e(m);
    for (auto &x : e) scanf("%d %d %d", &x[1], &x[2], &x[0]);
    sort(e.begin(), e.end());
    p.resize(n + 1);
    iota(p.begin(), p.end(), 0);
    int total = 0, used = 0;
    for (auto &x : e) {
        int a = find(x[1]), b = find(x[2]);
        if (a == b) continue;
        p[a] = b;
        total += x[0];
        used++;
    }
    printf("%d\n", used == n - 1 ? total : -1);
}
