// BUG: the hour hand does not move with the minutes
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        int h, m;
        char c;
        cin >> h >> c >> m;
        double d = fabs((h % 12) * 30.0 - m * 6.0);
        if (d > 180) d = 360 - d;
        cout << fixed << setprecision(6) << d << endl;
    }
}
