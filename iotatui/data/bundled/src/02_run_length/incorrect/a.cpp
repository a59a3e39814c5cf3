// BUG: omits the length of runs of length 1 (misread format)
#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    string res = "";
    int n = s.size();
    int cnt = 1;
    for (int i = 1; i <= n; i++) {
        if (i < n && s[i] == s[i - 1]) cnt++;
        else {
            res += s[i - 1];
            if (cnt > 1) res += to_string(cnt);
            cnt = 1;
        }
    }
    cout << res << endl;
}
