#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        long long n;
        scanf("%lld", &n);
        long long z = 0;
        while (n) {
            n /= 5;
            z += n;
        }
        printf("%lld\n", z);
    }
}
