#include <bits/stdc++.h>
using namespace std;
typedef vector<long long> Big;  // little-endian limbs in base 1e9
const long long B = 1000000000;
Big parse(const string &s) {
    Big r;
    for (int i = s.size(); i > 0; i -= 9) {
        int st = max(0, i - 9);
        r.push_back(stoll(s.substr(st, i - st)));
    }
    return r;
}
int cmp(const Big &a, const Big &b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    for (int i = a.size() - 1; i >= 0; i--)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}
Big add(const Big &a, const Big &b) {
    Big r; long long c = 0;
    for (size_t i = 0; i < max(a.size(), b.size()) || c; i++) {
        long long s = c + (i < a.size() ? a[i] : 0) + (i < b.size() ? b[i] : 0);
        r.push_back(s % B); c = s / B;
    }
    return r;
}
Big sub(const Big &a, const Big &b) {
    Big r; long long c = 0;
    for (size_t i = 0; i < a.size(); i++) {
        long long s = a[i] - c - (i < b.size() ? b[i] : 0);
        c = s < 0; if (s < 0) s += B;
        r.push_back(s);
    }
    while (r.size() > 1 && r.back() == 0) r.pop_back();
    return r;
}
int main() {
    string x, y;
    cin >> x >> y;
    bool nx = x[0] == '-', ny = y[0] == '-';
    Big a = parse(nx ? x.substr(1) : x), b = parse(ny ? y.substr(1) : y);
    bool neg; Big r;
    if (nx != ny) { r = add(a, b); neg = nx; }
    else {
        int c = cmp(a, b);
        if (c >= 0) { r = sub(a, b); neg = nx; } else { r = sub(b, a); neg = !nx; }
    }
    if (r.size() == 1 && r[0] == 0) neg = false;
    printf("%s%lld", neg ? "-" : "", r.back());
    for (int i = (int)r.size() - 2; i >= 0; i--) printf("%09lld", r[i]);
    printf("\n");
}
