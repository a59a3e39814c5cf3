// BUG: on a mismatch only tries deleting the left character
#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    int i = 0, j = (int)s.size() - 1;
    bool used = false, ok = true;
    while (i < j) {
        if (s[i] == s[j]) i++, j--;
        else if (!used) used = true, i++;
        else { ok = false; break; }
    }
    cout << (ok ? "YES" : "NO") << endl;
}
