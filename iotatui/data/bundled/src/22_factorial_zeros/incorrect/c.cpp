// BUG: counts the factors of five of every number up to n, too slow for n = 1e18
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long n;
        cin >> n;
        long long z = 0;
        for (long long i = 5; i <= n; i += 5) {
            long long x = i;
            while (x % 5 == 0) x /= 5, z++;
        }
        cout << z << "\n";
    }
}
