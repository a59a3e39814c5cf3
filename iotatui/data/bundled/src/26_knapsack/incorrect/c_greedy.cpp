// BUG: greedy by value/weight ratio is not optimal for the 0/1 knapsack
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, W;
    cin >> n >> W;
    vector<pair<long long,long long>> it(n);
    for (auto &p : it) cin >> p.first >> p.second;
    sort(it.begin(), it.end(), [](auto &a, auto &b) { return a.second * b.first > b.second * a.first; });
    long long left = W, total = 0;
    for (auto &p : it)
        if (p.first <= left) { left -= p.first; total += p.second; }
    cout << total << endl;
}
