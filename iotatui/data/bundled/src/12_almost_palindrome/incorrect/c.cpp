// BUG: wrong criterion, counts mismatched mirror positions and allows up to two
#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    int n = s.size(), bad = 0;
    for (int i = 0; i < n / 2; i++)
        if (s[i] != s[n - 1 - i]) bad++;
    cout << (bad <= 1 || (n % 2 == 0 && bad <= 2) ? "YES" : "NO") << endl;
}
