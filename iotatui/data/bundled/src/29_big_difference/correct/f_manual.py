def mag_cmp(x, y):
    if len(x) != len(y):
        return -1 if len(x) < len(y) else 1
    return (x > y) - (x < y)


def mag_sub(x, y):
    # |x| >= |y|, both digit strings
    res, borrow = [], 0
    y = y.rjust(len(x), '0')
    for dx, dy in zip(reversed(x), reversed(y)):
        d = int(dx) - int(dy) - borrow
        borrow = 1 if d < 0 else 0
        res.append(str(d + 10 * borrow))
    return ''.join(reversed(res)).lstrip('0') or '0'


def mag_add(x, y):
    n = max(len(x), len(y))
    x, y = x.rjust(n, '0'), y.rjust(n, '0')
    res, carry = [], 0
    for dx, dy in zip(reversed(x), reversed(y)):
        s = int(dx) + int(dy) + carry
        res.append(str(s % 10))
        carry = s // 10
    if carry:
        res.append('1')
    return ''.join(reversed(res))


a = input().strip()
b = input().strip()
na, nb = a.startswith('-'), not b.startswith('-')  # subtracting b == adding -b
a, b = a.lstrip('-'), b.lstrip('-')
if na == nb:
    mag, neg = mag_add(a, b), na
else:
    c = mag_cmp(a, b)
    if c >= 0:
        mag, neg = mag_sub(a, b), na
    else:
        mag, neg = mag_sub(b, a), nb
if mag == '0':
    neg = False
print(('-' if neg else '') + mag)
