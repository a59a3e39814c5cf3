#include <bits/stdc++.h>
using namespace std;
int P[1001][1001];
int main() {
    int n, m, q;
    cin >> n >> m >> q;
    for (int i = 1; i <= n; i++) {
        string s;
        cin >> s;
        int run = 0;
        for (int j = 1; j <= m; j++) {
            run += s[j - 1] - '0';
            P[i][j] = P[i - 1][j] + run;
        }
    }
    while (q--) {
        int r1, c1, r2, c2;
        cin >> r1 >> c1 >> r2 >> c2;
        int ans = P[r2][c2] - P[r1 - 1][c2] - P[r2][c1 - 1] + P[r1 - 1][c1 - 1];
        cout << ans << "\n";
    }
}
