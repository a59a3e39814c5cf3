#include <iostream>
#include <vector>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    const int N = 1000000;
    // Linear sieve.
    vector<int> lp(N + 1, 0), primes, pre(N + 1, 0);
    for (int i = 2; i <= N; i++) {
        if (lp[i] == 0) lp[i] = i, primes.push_back(i);
        for (int p : primes) {
            if (p > lp[i] || (long long)p * i > N) break;
            lp[p * i] = p;
        }
    }
    for (int i = 2; i <= N; i++) pre[i] = pre[i - 1] + (lp[i] == i);
    int q;
    cin >> q;
    while (q--) {
        int l, r;
        cin >> l >> r;
        cout << pre[r] - pre[l - 1] << '\n';
    }
}
