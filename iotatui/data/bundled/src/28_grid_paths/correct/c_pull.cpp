#include <bits/stdc++.h>
using namespace std;
// Counts routes backwards from the finish; same answer by symmetry.
int main() {
    ios::sync_with_stdio(false);
    int n, m;
    cin >> n >> m;
    vector<string> g(n);
    for (auto &r : g) cin >> r;
    const long long MOD = 1e9 + 7;
    vector<vector<long long>> w(n + 1, vector<long long>(m + 1, 0));
    for (int i = n - 1; i >= 0; i--)
        for (int j = m - 1; j >= 0; j--) {
            if (g[i][j] == '#') w[i][j] = 0;
            else if (i == n - 1 && j == m - 1) w[i][j] = 1;
            else w[i][j] = (w[i + 1][j] + w[i][j + 1]) % MOD;
        }
    cout << w[0][0] << '\n';
}
