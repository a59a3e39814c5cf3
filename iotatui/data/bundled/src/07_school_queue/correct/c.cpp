#include <iostream>
#include <string>
using namespace std;
int main() {
    int n, t;
    string s;
    cin >> n >> t >> s;
    for (int k = 0; k < t; k++) {
        string nx = s;
        int i = 0;
        while (i < n - 1) {
            if (s[i] == 'B' && s[i + 1] == 'G') {
                nx[i] = 'G';
                nx[i + 1] = 'B';
                i += 2;
            } else {
                i += 1;
            }
        }
        s = nx;
    }
    cout << s << "\n";
}
