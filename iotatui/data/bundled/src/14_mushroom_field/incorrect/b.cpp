// BUG: off-by-one, uses p[a][..] and p[..][b] instead of p[a - 1][..] and p[..][b - 1]
#include <bits/stdc++.h>
using namespace std;
long long p[1001][1001];
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
        cin >> a >> b >> c >> d;
        if (a == 1 && b == 1) cout << p[c][d] << "\n";
        else cout << p[c][d] - p[a][d] - p[c][b] + p[a][b] << "\n";
    }
}
