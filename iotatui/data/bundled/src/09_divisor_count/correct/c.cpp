#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        unsigned long long n;
        cin >> n;
        unsigned long long r = sqrtl((long double)n);
        while (r * r > n) r--;
        while ((r + 1) * (r + 1) <= n) r++;
        int cnt = 0;
        for (unsigned long long d = 1; d <= r; d++)
            if (n % d == 0) cnt += 2;
        if (r * r == n) cnt--;
        cout << cnt << endl;
    }
}
