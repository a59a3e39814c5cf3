// BUG: the key x * 40000 + y collides for different cells once |y| reaches 4e4
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    string s;
    cin >> n >> s;
    set<long long> seen;
    long long x = 0, y = 0;
    seen.insert(0);
    for (int i = 0; i < n; i++) {
        if (s[i] == 'L') x--;
        if (s[i] == 'R') x++;
        if (s[i] == 'U') y++;
        if (s[i] == 'D') y--;
        long long key = x * 40000 + y;
        if (seen.count(key)) {
            cout << i + 1 << endl;
            return 0;
        }
        seen.insert(key);
    }
    cout << -1 << endl;
}
