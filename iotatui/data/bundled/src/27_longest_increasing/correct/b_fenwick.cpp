#include <bits/stdc++.h>
using namespace std;
// Fenwick tree over compressed values: best[v] = longest chain ending with a value < v.
int main() {
    int n;
    scanf("%d", &n);
    vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    vector<int> vals(a);
    sort(vals.begin(), vals.end());
    vals.erase(unique(vals.begin(), vals.end()), vals.end());
    int k = vals.size();
    vector<int> bit(k + 1, 0);
    int ans = 0;
    for (int x : a) {
        int pos = lower_bound(vals.begin(), vals.end(), x) - vals.begin();  // count of values < x
        int best = 0;
        for (int i = pos; i > 0; i -= i & -i) best = max(best, bit[i]);
        best++;
        ans = max(ans, best);
        for (int i = pos + 1; i <= k; i += i & -i) bit[i] = max(bit[i], best);
    }
    printf("%d\n", ans);
}
