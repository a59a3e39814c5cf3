// BUG: does not remove the pairs of a souvenir with itself before halving
#include <bits/stdc++.h>
using namespace std;
int main() {
    long long n, x;
    cin >> n >> x;
    vector<long long> a(n);
    for (auto &v : a) cin >> v;
    sort(a.begin(), a.end());
    long long total = 0;
    for (int i = 0; i < n; i++) total += upper_bound(a.begin(), a.end(), x - a[i]) - a.begin();
    cout << total / 2 << endl;
}
