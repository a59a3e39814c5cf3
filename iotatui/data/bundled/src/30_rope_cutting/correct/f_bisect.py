from bisect import bisect_left

n, k = map(int, input().split())
ropes = list(map(int, input().split()))
top = max(ropes)

class Feasible:
    # maps length x (index) to 0 if x works else 1, a monotone sequence bisect can search
    def __len__(self):
        return top + 1

    def __getitem__(self, x):
        if x == 0:
            return 0
        return 0 if sum(r // x for r in ropes) >= k else 1

print(bisect_left(Feasible(), 1) - 1)
