#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    long long ans = 0;
    for (int b = 0; b < 30; b++) {
        long long ones = 0;
        for (long long x : a) ones += (x >> b) & 1;
        ans += ones * (n - ones) * (1LL << b);
    }
    cout << ans << endl;
}
