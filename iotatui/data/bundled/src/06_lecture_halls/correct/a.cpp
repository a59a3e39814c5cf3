#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    vector<pair<int, int>> v(n);
    for (auto &p : v) scanf("%d %d", &p.second, &p.first);  // sort by end
    sort(v.begin(), v.end());
    int cnt = 0;
    long long last = LLONG_MIN;
    for (auto &p : v) {
        if (p.second >= last) {
            cnt++;
            last = p.first;
        }
    }
    printf("%d\n", cnt);
}
