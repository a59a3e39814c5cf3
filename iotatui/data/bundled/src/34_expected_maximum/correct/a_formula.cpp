#include <bits/stdc++.h>
using namespace std;
int main() {
    int m, n;
    cin >> m >> n;
    // E[max] = sum_k k * (P(max <= k) - P(max <= k - 1)) = m - sum_{k<m} (k/m)^n
    double e = m;
    for (int k = 1; k < m; k++) e -= pow((double)k / m, n);
    printf("%.9f\n", e);
}
