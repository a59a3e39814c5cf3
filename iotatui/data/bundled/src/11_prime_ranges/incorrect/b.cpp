// BUG: checks every number of every segment by trial division, too slow
#include <bits/stdc++.h>
using namespace std;
bool prime(int x) {
    if (x < 2) return false;
    for (int d = 2; d * d <= x; d++)
        if (x % d == 0) return false;
    return true;
}
int main() {
    int q;
    scanf("%d", &q);
    while (q--) {
        int l, r;
        scanf("%d %d", &l, &r);
        int c = 0;
        for (int x = l; x <= r; x++) c += prime(x);
        printf("%d\n", c);
    }
}
