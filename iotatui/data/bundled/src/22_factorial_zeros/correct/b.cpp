#include <iostream>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int t;
    cin >> t;
    while (t--) {
        unsigned long long n;
        cin >> n;
        unsigned long long z = 0;
        for (unsigned long long p = 5; p <= n; p *= 5) {
            z += n / p;
            if (p > n / 5) break;  // the next power would exceed n (and might overflow)
        }
        cout << z << '\n';
    }
}
