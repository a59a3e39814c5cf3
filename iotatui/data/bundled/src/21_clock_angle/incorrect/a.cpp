// BUG: integer division m / 2 drops the half degree of the hour hand
#include <bits/stdc++.h>
using namespace std;
int main() {
    int t;
    scanf("%d", &t);
    while (t--) {
        int h, m;
        scanf("%d:%d", &h, &m);
        int hour = (h % 12) * 30 + m / 2;
        int d = abs(hour - m * 6);
        if (d > 180) d = 360 - d;
        printf("%d.000000\n", d);
    }
}
