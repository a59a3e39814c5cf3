// BUG: pops before checking for an empty stack, reading garbage on a leading closing bracket
#include <bits/stdc++.h>
using namespace std;
char st[100005];
int main() {
    string s;
    cin >> s;
    int top = 0, best = 0;
    for (char c : s) {
        if (c == '(' || c == '[' || c == '{') {
            st[top++] = c;
            best = max(best, top);
        } else {
            char need = c == ')' ? '(' : c == ']' ? '[' : '{';
            top--;
            if (top >= 0 && st[top] != need) {
                cout << -1 << endl;
                return 0;
            }
            if (top < 0) top = 0;
        }
    }
    cout << (top == 0 ? best : -1) << endl;
}
