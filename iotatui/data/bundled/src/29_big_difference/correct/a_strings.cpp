#include <bits/stdc++.h>
using namespace std;
int cmpMag(const string &a, const string &b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a < b ? -1 : (a > b ? 1 : 0);
}
string addMag(const string &a, const string &b) {
    string r;
    int i = a.size() - 1, j = b.size() - 1, carry = 0;
    while (i >= 0 || j >= 0 || carry) {
        int s = carry + (i >= 0 ? a[i--] - '0' : 0) + (j >= 0 ? b[j--] - '0' : 0);
        r.push_back('0' + s % 10);
        carry = s / 10;
    }
    reverse(r.begin(), r.end());
    return r;
}
string subMag(const string &a, const string &b) {  // requires |a| >= |b|
    string r;
    int i = a.size() - 1, j = b.size() - 1, borrow = 0;
    while (i >= 0) {
        int d = (a[i--] - '0') - borrow - (j >= 0 ? b[j--] - '0' : 0);
        borrow = d < 0;
        r.push_back('0' + (d + 10) % 10);
    }
    while (r.size() > 1 && r.back() == '0') r.pop_back();
    reverse(r.begin(), r.end());
    return r;
}
int main() {
    string x, y;
    cin >> x >> y;
    int sx = 1, sy = -1;  // a - b = a + (-b)
    if (x[0] == '-') { sx = -1; x = x.substr(1); }
    if (y[0] == '-') { sy = 1; y = y.substr(1); }
    string mag;
    int sign;
    if (sx == sy) { mag = addMag(x, y); sign = sx; }
    else {
        int c = cmpMag(x, y);
        if (c == 0) { cout << 0 << endl; return 0; }
        if (c > 0) { mag = subMag(x, y); sign = sx; }
        else { mag = subMag(y, x); sign = sy; }
    }
    if (mag == "0") sign = 1;
    cout << (sign < 0 ? "-" : "") << mag << endl;
}
