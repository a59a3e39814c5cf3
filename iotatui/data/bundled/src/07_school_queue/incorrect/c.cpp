// BUG: scans from the back and swaps in place, so a boy can move several places in one second
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n, t;
    string s;
    cin >> n >> t >> s;
    while (t--)
        for (int i = n - 2; i >= 0; i--)
            if (s[i] == 'B' && s[i + 1] == 'G') swap(s[i], s[i + 1]);
    cout << s << endl;
}
