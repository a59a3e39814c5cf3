// BUG: multiplies b times, linear in b is too slow
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long a, b, m;
        cin >> a >> b >> m;
        a %= m;
        long long r = 1 % m;
        for (long long i = 0; i < b; i++) r = r * a % m;
        cout << r << "\n";
    }
}
