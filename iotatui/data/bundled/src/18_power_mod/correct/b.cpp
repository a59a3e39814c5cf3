#include <iostream>
using namespace std;
long long power(long long a, long long b, long long m) {
    if (b == 0) return 1 % m;
    long long h = power(a, b / 2, m);
    h = h * h % m;
    if (b % 2) h = h * a % m;
    return h;
}
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long a, b, m;
        cin >> a >> b >> m;
        cout << power(a % m, b, m) << '\n';
    }
}
