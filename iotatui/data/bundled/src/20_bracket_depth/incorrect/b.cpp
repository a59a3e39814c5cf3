// BUG: never checks that the stack is empty at the end, so unclosed brackets pass
#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    string st;
    int best = 0;
    for (char c : s) {
        if (c == '(' || c == '[' || c == '{') {
            st.push_back(c);
            best = max(best, (int)st.size());
        } else {
            char need = c == ')' ? '(' : c == ']' ? '[' : '{';
            if (st.empty() || st.back() != need) {
                cout << -1 << endl;
                return 0;
            }
            st.pop_back();
        }
    }
    cout << best << endl;
}
