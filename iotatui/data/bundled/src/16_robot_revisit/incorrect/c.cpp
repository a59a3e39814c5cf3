// BUG: checks the cell before the move instead of after it, so the answer is shifted by one
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    string s;
    cin >> n >> s;
    set<pair<int, int>> seen;
    int x = 0, y = 0;
    for (int i = 0; i < n; i++) {
        if (!seen.insert({x, y}).second) {
            cout << i << endl;
            return 0;
        }
        char c = s[i];
        if (c == 'L') x--;
        else if (c == 'R') x++;
        else if (c == 'U') y++;
        else y--;
    }
    cout << -1 << endl;
}
