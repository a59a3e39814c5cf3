#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        int h, m;
        scanf("%d:%d", &h, &m);
        double hour = (h % 12) * 30.0 + m * 0.5;
        double minute = m * 6.0;
        double d = fabs(hour - minute);
        if (d > 180) d = 360 - d;
        printf("%.6f\n", d);
    }
}
