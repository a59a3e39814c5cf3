// BUG: strict comparison, a boat loaded exactly to k is rejected
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    long long k;
    cin >> n >> k;
    vector<long long> w(n);
    for (auto &x : w) cin >> x;
    sort(w.begin(), w.end());
    int l = 0, r = n - 1, boats = 0;
    while (l <= r) {
        if (l < r && w[l] + w[r] < k) l++;
        r--;
        boats++;
    }
    cout << boats << endl;
}
