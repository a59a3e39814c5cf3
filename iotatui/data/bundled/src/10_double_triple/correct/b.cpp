#include <iostream>
#include <vector>
#include <set>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    set<int> cores;
    for (int i = 0; i < n; i++) {
        int a;
        cin >> a;
        for (int p : {2, 3})
            while (a % p == 0) a /= p;
        cores.insert(a);
    }
    cout << (cores.size() == 1 ? "Yes" : "No") << "\n";
}
