// BUG: wrong greedy, sorts by start time instead of end time
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<pair<int, int>> v(n);
    for (auto &p : v) scanf("%d %d", &p.first, &p.second);
    sort(v.begin(), v.end());
    int cnt = 0, last = 0;
    for (auto &p : v)
        if (p.first >= last) cnt++, last = p.second;
    printf("%d\n", cnt);
}
