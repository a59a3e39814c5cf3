// BUG: assumes the two largest numbers give the largest AND
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    vector<int> a(n);
    for (auto &x : a) cin >> x;
    sort(a.rbegin(), a.rend());
    cout << (a[0] & a[1]) << endl;
}
