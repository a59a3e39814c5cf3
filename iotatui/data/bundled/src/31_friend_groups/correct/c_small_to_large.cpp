#include <bits/stdc++.h>
using namespace std;
// Each group keeps its member list; merging moves the smaller list (O(n log n) moves in total).
int main() {
    int n, q;
    scanf("%d %d", &n, &q);
    vector<int> gid(n + 1);
    vector<vector<int>> members(n + 1);
    for (int i = 1; i <= n; i++) gid[i] = i, members[i] = {i};
    string out;
    while (q--) {
        int t, a, b;
        scanf("%d %d", &t, &a);
        if (t == 3) { out += to_string(members[gid[a]].size()) + "\n"; continue; }
        scanf("%d", &b);
        int x = gid[a], y = gid[b];
        if (t == 2) { out += x == y ? "YES\n" : "NO\n"; continue; }
        if (x == y) continue;
        if (members[x].size() < members[y].size()) swap(x, y);
        for (int v : members[y]) { gid[v] = x; members[x].push_back(v); }
        members[y].clear();
    }
    fputs(out.c_str(), stdout);
}
