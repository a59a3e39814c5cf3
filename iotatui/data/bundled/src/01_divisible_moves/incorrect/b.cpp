// BUG: a / b is integer division, so ceil() rounds nothing up
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long a, b;
        cin >> a >> b;
        long long k = ceil(a / b);
        cout << k * b - a << "\n";
    }
}
