#include <iostream>
#include <iomanip>
#include <vector>
#include <climits>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, k;
    cin >> n >> k;
    vector<long long> p(n + 1, 0);
    for (int i = 1; i <= n; i++) {
        int x;
        cin >> x;
        p[i] = p[i - 1] + x;
    }
    long long best = LLONG_MIN;
    for (int i = k; i <= n; i++) best = max(best, p[i] - p[i - k]);
    cout << fixed << setprecision(10) << (long double)best / k << '\n';
}
