// BUG: takes the n - 1 cheapest roads (skipping only self-loops) without checking that they form no cycle
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    scanf("%d %d", &n, &m);
    vector<array<long long, 3>> e(m);
    for (auto &x : e) scanf("%lld %lld %lld", &x[1], &x[2], &x[0]);
    sort(e.begin(), e.end());
    vector<char> touched(n + 1, 0);
    touched[1] = 1;
    long long total = 0;
    int used = 0;
    for (auto &x : e) {
        if (used == n - 1) break;
        if (x[1] == x[2]) continue;
        touched[x[1]] = touched[x[2]] = 1;
        total += x[0];
        used++;
    }
    bool all = count(touched.begin() + 1, touched.end(), 1) == n;
    printf("%lld\n", all ? total : -1LL);
}
