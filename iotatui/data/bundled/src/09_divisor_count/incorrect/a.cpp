// BUG: n is read into an int, but n can be up to 1e12
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        int n;
        cin >> n;
        long long cnt = 0;
        for (long long i = 1; i * i <= n; i++)
            if (n % i == 0) cnt += (i * i == n) ? 1 : 2;
        cout << cnt << "\n";
    }
}
