// BUG: the starting cell is not marked as visited
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    string s;
    cin >> n >> s;
    set<pair<int, int>> seen;
    int x = 0, y = 0;
    for (int i = 0; i < n; i++) {
        char c = s[i];
        if (c == 'L') x--;
        else if (c == 'R') x++;
        else if (c == 'U') y++;
        else y--;
        if (!seen.insert({x, y}).second) {
            cout << i + 1 << endl;
            return 0;
        }
    }
    cout << -1 << endl;
}
