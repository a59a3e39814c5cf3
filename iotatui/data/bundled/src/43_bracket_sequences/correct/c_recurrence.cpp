#include <bits/stdc++.h>
using namespace std;
// Catalan(k + 1) = Catalan(k) * 2(2k + 1) / (k + 2), with modular inverses of 1..N in O(N).
int main() {
    const long long M = 1000000007;
    const int K = 500001;
    vector<long long> inv(K + 2), cat(K + 1);
    inv[1] = 1;
    for (int i = 2; i <= K + 1; i++) inv[i] = (M - (M / i) * inv[M % i] % M) % M;
    cat[0] = 1;
    for (int k = 0; k < K; k++) cat[k + 1] = cat[k] * (2 * (2 * k + 1) % M) % M * inv[k + 2] % M;
    ios::sync_with_stdio(false);
    int t; cin >> t;
    while (t--) { int n; cin >> n; cout << (n % 2 ? 0 : cat[n / 2]) << '\n'; }
}
