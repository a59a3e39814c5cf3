#include <bits/stdc++.h>
using namespace std;
typedef unsigned long long ull;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        ull a, b, m;
        scanf("%llu %llu %llu", &a, &b, &m);
        ull r = 1 % m;
        a %= m;
        while (b) {
            if (b & 1) r = r * a % m;
            a = a * a % m;
            b >>= 1;
        }
        printf("%llu\n", r);
    }
}
