// BUG: counts cells whose upper and left neighbours are water, which overcounts U-shaped islands
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    int cnt = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            if (g[i][j] == '#' && (i == 0 || g[i - 1][j] != '#') && (j == 0 || g[i][j - 1] != '#')) cnt++;
    cout << cnt << endl;
}
