// BUG: tries every deletion and copies the string each time, O(n^2)
#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    int n = s.size();
    string r(s.rbegin(), s.rend());
    if (s == r) { cout << "YES\n"; return 0; }
    for (int k = 0; k < n; k++) {
        string t = s.substr(0, k) + s.substr(k + 1);
        string u(t.rbegin(), t.rend());
        if (t == u) { cout << "YES\n"; return 0; }
    }
    cout << "NO\n";
}
