#include <iostream>
#include <iomanip>
#include <string>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        string s;
        cin >> s;
        int h = stoi(s.substr(0, 2)), m = stoi(s.substr(3, 2));
        // Work in half-degrees to stay in integers.
        int hour = (h % 12) * 60 + m, minute = m * 12;
        int d = abs(hour - minute) % 720;
        d = min(d, 720 - d);
        cout << fixed << setprecision(1) << d / 2.0 << '\n';
    }
}
