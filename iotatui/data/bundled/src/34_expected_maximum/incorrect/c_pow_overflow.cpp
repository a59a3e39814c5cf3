// BUG: computes k^n / m^n directly; both overflow to infinity and the result becomes nan
#include <bits/stdc++.h>
using namespace std;
int main() {
    int m, n;
    cin >> m >> n;
    double e = 0, prev = 0;
    for (int k = 1; k <= m; k++) {
        double cur = pow(k, n) / pow(m, n);
        e += k * (cur - prev);
        prev = cur;
    }
    printf("%.9f\n", e);
}
