#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
int main() {
    int n;
    cin >> n;
    multiset<ll> s;
    vector<ll> a(n);
    for (ll &x : a) cin >> x;
    sort(a.rbegin(), a.rend());
    map<ll, int> freq;
    for (int i = 1; i < n; i++) freq[a[i - 1] - a[i]]++;
    cout << freq.begin()->first << ' ' << freq.begin()->second << endl;
}
