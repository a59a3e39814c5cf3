#include <bits/stdc++.h>
using namespace std;
// Signed digit vectors: compute d_i = sa*a_i - sb*b_i, then normalise with the sign of the leading nonzero digit.
int main() {
    string x, y;
    cin >> x >> y;
    int sa = 1, sb = 1;
    if (x[0] == '-') sa = -1, x.erase(0, 1);
    if (y[0] == '-') sb = -1, y.erase(0, 1);
    size_t L = max(x.size(), y.size()) + 1;
    vector<int> d(L, 0);
    for (size_t i = 0; i < x.size(); i++) d[i] += sa * (x[x.size() - 1 - i] - '0');
    for (size_t i = 0; i < y.size(); i++) d[i] -= sb * (y[y.size() - 1 - i] - '0');
    int top = L - 1;
    while (top > 0 && d[top] == 0) top--;
    int sign = d[top] < 0 ? -1 : 1;
    for (auto &v : d) v *= sign;
    for (size_t i = 0; i + 1 < L; i++) {
        while (d[i] < 0) { d[i] += 10; d[i + 1]--; }
        while (d[i] >= 10) { d[i] -= 10; d[i + 1]++; }
    }
    top = L - 1;
    while (top > 0 && d[top] == 0) top--;
    if (top == 0 && d[0] == 0) sign = 1;
    string out = sign < 0 ? "-" : "";
    for (int i = top; i >= 0; i--) out += char('0' + d[i]);
    cout << out << '\n';
}
