// BUG: a is not reduced modulo m first, so a * a overflows for a up to 1e18
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        long long a, b, m;
        scanf("%lld %lld %lld", &a, &b, &m);
        long long r = 1 % m;
        while (b) {
            if (b & 1) r = r * a % m;
            a = a * a % m;
            b >>= 1;
        }
        printf("%lld\n", r);
    }
}
