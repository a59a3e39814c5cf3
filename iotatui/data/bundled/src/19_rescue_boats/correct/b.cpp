#include <iostream>
#include <vector>
#include <algorithm>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    long long k;
    cin >> n >> k;
    vector<long long> w(n);
    for (auto &x : w) cin >> x;
    sort(w.rbegin(), w.rend());
    // Heaviest first; pair with the lightest remaining if possible.
    int j = n - 1, ans = 0;
    for (int i = 0; i <= j; i++) {
        if (i < j && w[i] + w[j] <= k) j--;
        ans++;
    }
    cout << ans << '\n';
}
