// BUG: only compares neighbours in sorted order (works for XOR-min style problems, not for AND-max)
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    sort(a.begin(), a.end());
    int best = 0;
    for (int i = 0; i + 1 < n; i++) best = max(best, a[i] & a[i + 1]);
    printf("%d\n", best);
}
