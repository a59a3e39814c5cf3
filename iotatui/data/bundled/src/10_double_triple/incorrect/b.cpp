// BUG: wrong criterion, only checks that every pile divides the largest one
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    long long mx = *max_element(a.begin(), a.end());
    bool ok = true;
    for (auto x : a)
        if (mx % x != 0) {
            long long y = mx * 6;
            if (y % x != 0) ok = false;
        }
    cout << (ok ? "Yes" : "No") << endl;
}
