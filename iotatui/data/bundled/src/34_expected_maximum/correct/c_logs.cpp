#include <bits/stdc++.h>
using namespace std;
int main() {
    long long m, n;
    cin >> m >> n;
    long double e = 0;
    for (long long k = 1; k <= m; k++) {
        long double p = expl(n * logl((long double)k / m));
        long double q = k > 1 ? expl(n * logl((long double)(k - 1) / m)) : 0;
        e += k * (p - q);
    }
    cout << fixed << setprecision(8) << (double)e << '\n';
}
