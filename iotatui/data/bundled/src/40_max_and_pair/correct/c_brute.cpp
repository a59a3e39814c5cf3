#include <bits/stdc++.h>
using namespace std;
// O(n^2) with an early exit is fine in C++ for n = 1.5 * 10^4.
int main() {
    int n;
    scanf("%d", &n);
    vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    sort(a.rbegin(), a.rend());
    int best = 0;
    for (int i = 0; i < n && a[i] > best; i++)
        for (int j = i + 1; j < n && a[j] > best; j++) best = max(best, a[i] & a[j]);
    printf("%d\n", best);
}
