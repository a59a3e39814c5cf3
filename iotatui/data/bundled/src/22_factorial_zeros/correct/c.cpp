#include <bits/stdc++.h>
using namespace std;
long long zeros(long long n) { return n < 5 ? 0 : n / 5 + zeros(n / 5); }
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long n;
        cin >> n;
        cout << zeros(n) << endl;
    }
}
