#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, k;
    cin >> n >> k;
    vector<int> a(n);
    for (int &x : a) cin >> x;
    double sum = accumulate(a.begin(), a.begin() + k, 0.0);
    double best = sum;
    for (int i = k; i < n; i++) {
        sum += a[i];
        sum -= a[i - k];
        if (sum > best) best = sum;
    }
    cout.precision(12);
    cout << best / k << endl;
}
