#include <bits/stdc++.h>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    int n;
    cin >> n;
    vector<unsigned> a(n);
    for (auto &x : a) cin >> x;
    unsigned long long total = 0;
    for (unsigned bit = 1u << 29; bit; bit >>= 1) {
        unsigned long long c = count_if(a.begin(), a.end(), [bit](unsigned x) { return x & bit; });
        total += c * (n - c) * bit;
    }
    cout << total << '\n';
}
