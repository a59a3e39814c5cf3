// BUG: prints with cout's default 6 significant digits, too coarse for answers in the thousands
#include <bits/stdc++.h>
using namespace std;
int main() {
    int m, n;
    cin >> m >> n;
    double e = m;
    for (int k = 1; k < m; k++) e -= pow((double)k / m, n);
    cout << e << endl;
}
