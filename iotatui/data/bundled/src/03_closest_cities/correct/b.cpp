#include <iostream>
#include <vector>
#include <algorithm>
using namespace std;
int main() {
    ios_base::sync_with_stdio(false);
    cin.tie(0);
    int n;
    cin >> n;
    vector<int> a(n);
    for (int i = 0; i < n; i++) cin >> a[i];
    sort(a.begin(), a.end());
    vector<long long> d(n - 1);
    for (int i = 1; i < n; i++) d[i - 1] = (long long)a[i] - a[i - 1];
    long long mn = *min_element(d.begin(), d.end());
    cout << mn << " " << count(d.begin(), d.end(), mn) << "\n";
}
