#include <cstdio>
#include <vector>
// Keeps only the numbers that still contain every chosen bit.
int main() {
    int n;
    scanf("%d", &n);
    std::vector<unsigned> a(n);
    for (auto &x : a) scanf("%u", &x);
    unsigned res = 0;
    for (int b = 29; b >= 0; b--) {
        std::vector<unsigned> keep;
        for (unsigned x : a) if (x >> b & 1) keep.push_back(x);
        if (keep.size() >= 2) { res |= 1u << b; a.swap(keep); }
    }
    printf("%u\n", res);
}
