// BUG: forgets h % 12, so afternoon hours put the hour hand past a full turn
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        int h, m;
        scanf("%d:%d", &h, &m);
        double d = fabs(h * 30.0 + m * 0.5 - m * 6.0);
        if (d > 180) d = 360 - d;
        printf("%.6f\n", fabs(d));
    }
}
