// BUG: k / m is integer division, so every probability term becomes 0
#include <bits/stdc++.h>
using namespace std;
int main() {
    int m, n;
    cin >> m >> n;
    double e = m;
    for (int k = 1; k < m; k++) e -= pow(k / m, n);
    printf("%.9f\n", e);
}
