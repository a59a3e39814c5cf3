// BUG: counts open brackets without checking their types, so "([)]" is accepted
#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    int bal = 0, best = 0;
    for (char c : s) {
        if (c == '(' || c == '[' || c == '{') bal++;
        else bal--;
        if (bal < 0) {
            cout << -1 << endl;
            return 0;
        }
        best = max(best, bal);
    }
    cout << (bal == 0 ? best : -1) << endl;
}
