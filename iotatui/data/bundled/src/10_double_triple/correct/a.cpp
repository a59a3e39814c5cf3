#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    long long core = -1;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        long long x;
        scanf("%lld", &x);
        while (x % 2 == 0) x /= 2;
        while (x % 3 == 0) x /= 3;
        if (core == -1) core = x;
        else if (core != x) ok = false;
    }
    puts(ok ? "Yes" : "No");
}
