#include <bits/stdc++.h>
using namespace std;
int main() {
    const int N = 1000000;
    vector<char> is(N + 1, 1);
    is[0] = is[1] = 0;
    for (int i = 2; i * i <= N; i++)
        if (is[i])
            for (int j = i * i; j <= N; j += i) is[j] = 0;
    vector<int> primes;
    for (int i = 2; i <= N; i++)
        if (is[i]) primes.push_back(i);
    int q;
    cin >> q;
    while (q--) {
        int l, r;
        cin >> l >> r;
        auto lo = lower_bound(primes.begin(), primes.end(), l);
        auto hi = upper_bound(primes.begin(), primes.end(), r);
        cout << (hi - lo) << "\n";
    }
}
