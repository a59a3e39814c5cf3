#include <iostream>
#include <string>
#include <algorithm>
using namespace std;
bool isPal(const string &t) {
    return equal(t.begin(), t.begin() + t.size() / 2, t.rbegin());
}
int main() {
    string s;
    cin >> s;
    int n = s.size();
    int i = 0;
    while (i < n / 2 && s[i] == s[n - 1 - i]) i++;
    if (i == n / 2) {
        cout << "YES\n";
        return 0;
    }
    string a = s.substr(0, i) + s.substr(i + 1);
    string b = s.substr(0, n - 1 - i) + s.substr(n - i);
    cout << (isPal(a) || isPal(b) ? "YES" : "NO") << "\n";
}
