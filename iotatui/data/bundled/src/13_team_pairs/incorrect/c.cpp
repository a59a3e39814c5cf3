// BUG: prints the weakest team instead of the strongest one
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(2 * n);
    for (auto &x : a) cin >> x;
    sort(a.begin(), a.end());
    long long best = LLONG_MAX;
    for (int i = 0; i < n; i++) best = min(best, a[i] + a[2 * n - 1 - i]);
    cout << best << endl;
}
