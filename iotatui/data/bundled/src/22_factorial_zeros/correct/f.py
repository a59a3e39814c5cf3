def zeros(n):
    return 0 if n < 5 else n // 5 + zeros(n // 5)


for _ in range(int(input())):
    print(zeros(int(input())))
