#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        int h, m;
        char colon;
        cin >> h >> colon >> m;
        int minutes = (h % 12) * 60 + m;
        double a = fmod(minutes * 0.5 - m * 6.0 + 720.0, 360.0);
        cout << setprecision(10) << min(a, 360.0 - a) << endl;
    }
}
