// BUG: ones * (n - ones) * (1 << b) is computed in int and overflows for high bits
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<int> a(n);
    for (auto &x : a) cin >> x;
    long long ans = 0;
    for (int b = 0; b < 30; b++) {
        int ones = 0;
        for (int x : a) ones += (x >> b) & 1;
        ans += ones * (n - ones) * (1 << b);
    }
    cout << ans << endl;
}
