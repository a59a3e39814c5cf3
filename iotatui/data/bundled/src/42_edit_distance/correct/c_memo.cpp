#include <bits/stdc++.h>
using namespace std;
string s, t;
vector<vector<int>> memo;
int go(int i, int j) {  // distance between suffixes s[i:], t[j:]
    if (i == (int)s.size()) return t.size() - j;
    if (j == (int)t.size()) return s.size() - i;
    int &r = memo[i][j];
    if (r >= 0) return r;
    if (s[i] == t[j]) return r = go(i + 1, j + 1);
    return r = 1 + min({go(i + 1, j), go(i, j + 1), go(i + 1, j + 1)});
}
int main() {
    cin >> s >> t;
    memo.assign(s.size(), vector<int>(t.size(), -1));
    cout << go(0, 0) << '\n';
}
