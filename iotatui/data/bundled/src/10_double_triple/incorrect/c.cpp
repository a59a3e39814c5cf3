// BUG: uses if instead of while, so only one factor of 2 and one of 3 are removed
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    scanf("%d", &n);
    set<long long> s;
    for (int i = 0; i < n; i++) {
        long long x;
        scanf("%lld", &x);
        if (x % 2 == 0) x /= 2;
        if (x % 3 == 0) x /= 3;
        s.insert(x);
    }
    puts(s.size() == 1 ? "Yes" : "No");
}
