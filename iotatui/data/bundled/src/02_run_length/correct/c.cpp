#include <bits/stdc++.h>
using namespace std;
int main() {
    string s;
    cin >> s;
    vector<pair<char, int>> r;
    for (char c : s) {
        if (!r.empty() && r.back().first == c) r.back().second++;
        else r.push_back({c, 1});
    }
    ostringstream out;
    for (auto &p : r) out << p.first << p.second;
    cout << out.str() << endl;
}
