// BUG: wrong greedy, pairs the two lightest people first
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    long long k;
    scanf("%d %lld", &n, &k);
    vector<long long> w(n);
    for (auto &x : w) scanf("%lld", &x);
    sort(w.begin(), w.end());
    int boats = 0, i = 0;
    while (i < n) {
        if (i + 1 < n && w[i] + w[i + 1] <= k) i += 2;
        else i++;
        boats++;
    }
    printf("%d\n", boats);
}
