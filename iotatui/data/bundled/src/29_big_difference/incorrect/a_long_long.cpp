// BUG: reads the numbers into long long, which overflows for more than 18 digits
#include <bits/stdc++.h>
using namespace std;
int main() {
    long long a, b;
    cin >> a >> b;
    cout << a - b << endl;
}
