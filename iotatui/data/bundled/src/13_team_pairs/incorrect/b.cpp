// BUG: off-by-one, the middle pair is never checked
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(2 * n);
    for (auto &x : a) cin >> x;
    sort(a.begin(), a.end());
    long long best = a[0] + a[2 * n - 1];
    for (int i = 1; i < n - 1; i++) best = max(best, a[i] + a[2 * n - 1 - i]);
    cout << best << endl;
}
