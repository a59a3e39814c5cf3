// BUG: wrong greedy, restarts from the next book whenever the time runs out
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    long long t;
    cin >> n >> t;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    long long sum = 0;
    int cnt = 0, best = 0;
    for (int i = 0; i < n; i++) {
        if (sum + a[i] <= t) {
            sum += a[i];
            cnt++;
        } else {
            sum = a[i] <= t ? a[i] : 0;
            cnt = a[i] <= t ? 1 : 0;
        }
        best = max(best, cnt);
    }
    cout << best << endl;
}
