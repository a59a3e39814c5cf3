// BUG: too slow, increments a one step at a time
#include <iostream>
using namespace std;
int main() {
    int t;
    cin >> t;
    while (t--) {
        long long a, b;
        cin >> a >> b;
        long long moves = 0;
        while (a % b != 0) {
            a++;
            moves++;
        }
        cout << moves << '\n';
    }
}
