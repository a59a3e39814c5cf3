// BUG: swaps rows and columns when reading a query (wrong on non-square grids)
#include <bits/stdc++.h>
using namespace std;
long long p[1002][1002];
int main() {
    int n, m, q;
    cin >> n >> m >> q;
    for (int i = 1; i <= n; i++) {
        string s;
        cin >> s;
        for (int j = 1; j <= m; j++) p[i][j] = p[i - 1][j] + p[i][j - 1] - p[i - 1][j - 1] + s[j - 1] - '0';
    }
    while (q--) {
        int a, b, c, d;
        cin >> b >> a >> d >> c;
        a = min(a, n), c = min(c, n), b = min(b, m), d = min(d, m);
        cout << p[c][d] - p[a - 1][d] - p[c][b - 1] + p[a - 1][b - 1] << "\n";
    }
}
