#include <iostream>
#include <vector>
using namespace std;
int main() {
    long long n, t;
    cin >> n >> t;
    vector<long long> a(n);
    for (int i = 0; i < n; i++) cin >> a[i];
    long long j = 0, cur = 0, ans = 0;
    for (long long i = 0; i < n; i++) {
        while (j < n && cur + a[j] <= t) cur += a[j++];
        ans = max(ans, j - i);
        if (j > i) cur -= a[i];
        else j = i + 1;
    }
    cout << ans << endl;
}
