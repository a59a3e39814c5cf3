#include <iostream>
#include <stack>
#include <map>
using namespace std;
int main() {
    string s;
    cin >> s;
    map<char, char> match = {{')', '('}, {']', '['}, {'}', '{'}};
    stack<char> st;
    size_t depth = 0;
    for (char c : s) {
        if (match.count(c)) {
            if (st.empty() || st.top() != match[c]) {
                cout << "-1\n";
                return 0;
            }
            st.pop();
        } else {
            st.push(c);
            depth = max(depth, st.size());
        }
    }
    if (!st.empty()) cout << "-1\n";
    else cout << depth << "\n";
}
