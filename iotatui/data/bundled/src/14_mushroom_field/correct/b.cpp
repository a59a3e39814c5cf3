#include <iostream>
#include <vector>
#include <string>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, m, q;
    cin >> n >> m >> q;
    // Row prefix sums only: O(rows) per query is enough here.
    vector<vector<int>> rp(n, vector<int>(m + 1, 0));
    for (int i = 0; i < n; i++) {
        string s;
        cin >> s;
        for (int j = 0; j < m; j++) rp[i][j + 1] = rp[i][j] + (s[j] - '0');
    }
    while (q--) {
        int a, b, c, d;
        cin >> a >> b >> c >> d;
        long long sum = 0;
        for (int i = a - 1; i < c; i++) sum += rp[i][d] - rp[i][b - 1];
        cout << sum << '\n';
    }
}
