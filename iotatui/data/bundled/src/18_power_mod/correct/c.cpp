#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long a, b, m;
        cin >> a >> b >> m;
        __int128 base = a % m, res = 1 % m;
        for (int bit = 62; bit >= 0; bit--) {
            res = res * res % m;
            if ((b >> bit) & 1) res = res * base % m;
        }
        cout << (long long)res << endl;
    }
}
