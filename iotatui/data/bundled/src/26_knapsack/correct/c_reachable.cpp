#include <bits/stdc++.h>
using namespace std;
// best[c] = max value with total weight exactly c (-1 = unreachable); answer = max over c <= W.
int main() {
    int n, W;
    scanf("%d %d", &n, &W);
    vector<long long> best(W + 1, -1);
    best[0] = 0;
    while (n--) {
        int w; long long v;
        scanf("%d %lld", &w, &v);
        for (int c = W - w; c >= 0; c--)
            if (best[c] >= 0 && best[c] + v > best[c + w]) best[c + w] = best[c] + v;
    }
    printf("%lld\n", *max_element(best.begin(), best.end()));
}
