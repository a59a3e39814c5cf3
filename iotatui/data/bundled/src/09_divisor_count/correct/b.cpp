#include <iostream>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long n;
        cin >> n;
        // Factorise: d(n) = prod (e_i + 1).
        long long ans = 1;
        for (long long p = 2; p * p <= n; p++) {
            int e = 0;
            while (n % p == 0) n /= p, e++;
            ans *= e + 1;
        }
        if (n > 1) ans *= 2;
        cout << ans << '\n';
    }
}
