#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(n);
    long long g = 0;
    for (auto &x : a) cin >> x, g = __gcd(g, x);
    for (auto x : a) {
        x /= g;
        while (x % 6 == 0) x /= 6;
        while (x % 2 == 0) x /= 2;
        while (x % 3 == 0) x /= 3;
        if (x != 1) {
            cout << "No" << endl;
            return 0;
        }
    }
    cout << "Yes" << endl;
}
