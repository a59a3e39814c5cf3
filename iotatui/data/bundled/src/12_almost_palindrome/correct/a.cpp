#include <bits/stdc++.h>
using namespace std;
string s;
bool pal(int i, int j) {
    while (i < j) {
        if (s[i] != s[j]) return false;
        i++, j--;
    }
    return true;
}
int main() {
    cin >> s;
    int i = 0, j = (int)s.size() - 1;
    while (i < j && s[i] == s[j]) i++, j--;
    bool ok = i >= j || pal(i + 1, j) || pal(i, j - 1);
    cout << (ok ? "YES" : "NO") << endl;
}
