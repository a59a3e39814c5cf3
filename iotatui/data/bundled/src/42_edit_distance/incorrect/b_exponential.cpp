// BUG: recursion without memoisation: exponential time on long different strings
#include <bits/stdc++.h>
using namespace std;
string s, t;
int go(int i, int j) {
    if (i == (int)s.size()) return t.size() - j;
    if (j == (int)t.size()) return s.size() - i;
    if (s[i] == t[j]) return go(i + 1, j + 1);
    return 1 + min({go(i + 1, j), go(i, j + 1), go(i + 1, j + 1)});
}
int main() {
    cin >> s >> t;
    cout << go(0, 0) << '\n';
}
