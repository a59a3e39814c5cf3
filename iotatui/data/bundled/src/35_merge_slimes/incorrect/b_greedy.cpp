// BUG: greedily merges the adjacent pair with the smallest sum, which is not always optimal
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    long long cost = 0;
    while (a.size() > 1) {
        size_t best = 0;
        for (size_t i = 1; i + 1 < a.size(); i++)
            if (a[i] + a[i + 1] < a[best] + a[best + 1]) best = i;
        cost += a[best] + a[best + 1];
        a[best] += a[best + 1];
        a.erase(a.begin() + best + 1);
    }
    cout << cost << endl;
}
