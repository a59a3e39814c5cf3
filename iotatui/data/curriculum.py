"""The curriculum: a generated family of easy problems in the CodeContests schema that a small model learns on a CPU.

``load_problems("curriculum")`` (and every stage's ``problems=curriculum`` / ``source=curriculum``) gives
:data:`N_TRAIN` + :data:`N_VALID` + :data:`N_TEST` problems, the same ones on every machine (a seeded generator,
no file to ship). Each problem is one *task*: an input kind (one integer ``n``; two integers ``a b``; a list; a
string), a base operation on it (the sum, the larger, the string reversed, …) and, for integer results, an optional
post-operation with a constant (``plus 7``, ``multiplied by 3``, ``modulo 11``). The statement says it in one of
several wordings; the reference programs (two styles) compute it; the incorrect ones are mutants of the reference
(a wrong constant, a dropped or changed post-operation, a neighbouring base operation, a parse or syntax error),
each kept only if the tests catch it. Tests: one public example (also in the statement), private and generated ones,
all small; expected outputs come from a Python oracle, and every reference program is run against them here.

**The split is by task, so test problems are unseen instances**, of two kinds (``cf_tags`` says which):

* ``new-constant``: a (base, post) mix that training has, with a constant it never has with that mix;
* ``new-mix``: a (base, post) combination that no training problem has (its base and its post-operation each
  appear in training with other partners).

Wordings are drawn independently per slot, so most test statements are new combinations of known phrases; no test
problem shares its (base, post, constant) with a training problem. Stdlib only.
"""

from __future__ import annotations

import functools
import io
import random
import re
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from typing import Any

from iotatui.data.schema import LANGUAGE_CODES, Problem, Solutions, Tests

NAME = "curriculum"
"""The problem-source name (``problems=curriculum``)."""
VERSION = 1
"""Bump when the generated problems change (models trained on one version are evaluated on the same one)."""
SEED = 20261207
N_TRAIN, N_VALID, N_TEST = 1200, 60, 120
NEW_MIX_SHARE = 0.4
"""Share of the test problems whose (base, post) mix never occurs in training."""
HELD_OUT_MIXES = 0.15
"""Share of the (base, post) mixes kept out of training (the ``new-mix`` test problems draw from them)."""
PY3 = LANGUAGE_CODES["python3"]
COPY_WEIGHT = 14.0
"""The no-input tasks that print a number or word from the statement are drawn this much more often: copying a
constant from the statement is what the other tasks' constants need, and these teach it with the least else to learn."""


@dataclass(frozen=True)
class Base:
    """One base operation: what the statement says (a noun phrase) and what the program computes."""

    key: str
    kind: str
    """Input kind: ``n``, ``ab``, ``list`` or ``str``."""
    phrases: tuple[str, ...]
    """Noun phrases (``{c}``: the constant, when ``const`` is set), e.g. 'the sum of a and b'."""
    expr: str
    """The Python expression (``{c}`` as above)."""
    result: str
    """``int`` (post-operations apply), ``list`` (printed space-separated), ``str`` or ``yesno``."""
    oracle: Callable[[Any, Any], Any]
    mutants: tuple[str, ...] = ()
    """Plausible wrong expressions (a neighbouring operation, an off-by-one)."""
    const: tuple[int, int] | None = None
    """Range of the base's own constant: a number, or (``const_kind``) the index of a letter / a word's length."""
    const_kind: str = "int"
    """``int``, ``letter`` (one of ``LETTERS``) or ``word`` (random lowercase letters)."""
    atomic: bool = True
    """False when ``expr`` has a top-level binary operator (parenthesised under a post-operation)."""
    weight: float = 1.0
    """How often its mixes are drawn, relative to the others."""


@dataclass(frozen=True)
class Post:
    key: str
    phrases: tuple[str, ...]
    op: str
    oracle: Callable[[int, int], int]
    const: tuple[int, int]
    wrong_ops: tuple[str, ...]


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _count_gt(a: list[int], c: int) -> int:
    return sum(1 for x in a if x > c)


BASES: tuple[Base, ...] = (
    # no input: the program prints what the statement names (teaches copying from the statement)
    Base("c_num", "none", ("the number {c}", "the integer {c}"), "{c}", "int", lambda _, c: c, ("{c} + 1", "{c} // 10"),
         (0, 9999), weight=COPY_WEIGHT),
    Base("c_word", "none", ("the word {c}", "the string {c}"), '"{c}"', "str", lambda _, c: c, ('"{c}"[1:]', '"{c}" * 2'),
         (3, 8), const_kind="word", weight=COPY_WEIGHT),
    # one integer n
    Base("n_times", "n", ("n multiplied by {c}", "the product of n and {c}"), "n * {c}", "int",
         lambda n, c: n * c, ("n + {c}", "n * ({c} + 1)"), (2, 19), atomic=False),
    Base("n_plus", "n", ("n plus {c}", "the sum of n and {c}"), "n + {c}", "int",
         lambda n, c: n + c, ("n - {c}", "n * {c}"), (2, 99), atomic=False),
    Base("n_minus", "n", ("n minus {c}", "the value n - {c}"), "n - {c}", "int",
         lambda n, c: n - c, ("n + {c}", "{c} - n"), (2, 99), atomic=False),
    Base("n_mod", "n", ("the remainder of n divided by {c}", "n modulo {c}"), "n % {c}", "int",
         lambda n, c: n % c, ("n // {c}", "{c} % n"), (2, 19), atomic=False),
    Base("n_div", "n", ("n divided by {c}, rounded down", "the integer part of n / {c}"), "n // {c}", "int",
         lambda n, c: n // c, ("n % {c}", "n // {c} + 1"), (2, 19), atomic=False),
    Base("n_square", "n", ("the square of n", "n multiplied by itself"), "n * n", "int",
         lambda n, c: n * n, ("n * 2", "n + n"), atomic=False),
    Base("n_tri", "n", ("the sum of all integers from 1 to n", "1 + 2 + ... + n"), "n * (n + 1) // 2", "int",
         lambda n, c: n * (n + 1) // 2, ("n * (n - 1) // 2", "n * n // 2"), atomic=False),
    Base("n_digits", "n", ("the number of digits of n", "how many digits n has"), "len(str(n))", "int",
         lambda n, c: len(str(n)), ("len(str(n)) + 1", "n % 10")),
    Base("n_digitsum", "n", ("the sum of the digits of n", "the digit sum of n"), "sum(int(d) for d in str(n))", "int",
         lambda n, c: sum(int(d) for d in str(n)), ("len(str(n))", "n % 10")),
    Base("n_even", "n", ("YES if n is even and NO otherwise",), '"YES" if n % 2 == 0 else "NO"', "yesno",
         lambda n, c: "YES" if n % 2 == 0 else "NO", ('"YES" if n % 2 == 1 else "NO"', '"NO" if n % 2 == 0 else "YES"')),
    # two integers a b
    Base("ab_sum", "ab", ("the sum of a and b", "a plus b"), "a + b", "int",
         lambda x, c: x[0] + x[1], ("a - b", "a * b"), atomic=False),
    Base("ab_diff", "ab", ("a minus b", "the difference a - b"), "a - b", "int",
         lambda x, c: x[0] - x[1], ("b - a", "a + b"), atomic=False),
    Base("ab_prod", "ab", ("the product of a and b", "a multiplied by b"), "a * b", "int",
         lambda x, c: x[0] * x[1], ("a + b", "a * a"), atomic=False),
    Base("ab_max", "ab", ("the larger of a and b", "the maximum of a and b"), "max(a, b)", "int",
         lambda x, c: max(x), ("min(a, b)", "a")),
    Base("ab_min", "ab", ("the smaller of a and b", "the minimum of a and b"), "min(a, b)", "int",
         lambda x, c: min(x), ("max(a, b)", "b")),
    Base("ab_absdiff", "ab", ("the absolute difference of a and b", "the distance between a and b"), "abs(a - b)",
         "int", lambda x, c: abs(x[0] - x[1]), ("a - b", "abs(a + b)")),
    Base("ab_mod", "ab", ("the remainder of a divided by b", "a modulo b"), "a % b", "int",
         lambda x, c: x[0] % x[1], ("b % a", "a // b"), atomic=False),
    Base("ab_div", "ab", ("a divided by b, rounded down", "the integer part of a / b"), "a // b", "int",
         lambda x, c: x[0] // x[1], ("b // a", "a % b"), atomic=False),
    # a list of n integers
    Base("l_sum", "list", ("the sum of the numbers", "the total of all the numbers"), "sum(a)", "int",
         lambda a, c: sum(a), ("max(a)", "sum(a) - a[0]")),
    Base("l_max", "list", ("the largest number", "the maximum of the numbers"), "max(a)", "int",
         lambda a, c: max(a), ("min(a)", "a[-1]")),
    Base("l_min", "list", ("the smallest number", "the minimum of the numbers"), "min(a)", "int",
         lambda a, c: min(a), ("max(a)", "a[0]")),
    Base("l_range", "list", ("the largest number minus the smallest number", "the difference between the maximum and "
         "the minimum"), "max(a) - min(a)", "int", lambda a, c: max(a) - min(a), ("max(a) + min(a)", "max(a)"),
         atomic=False),
    Base("l_first", "list", ("the first number", "the number that comes first"), "a[0]", "int",
         lambda a, c: a[0], ("a[-1]", "a[1]")),
    Base("l_last", "list", ("the last number", "the number that comes last"), "a[-1]", "int",
         lambda a, c: a[-1], ("a[0]", "a[-2]")),
    Base("l_gt", "list", ("how many numbers are greater than {c}", "the count of numbers larger than {c}"),
         "sum(1 for x in a if x > {c})", "int", _count_gt, ("sum(1 for x in a if x >= {c})",
                                                              "sum(1 for x in a if x < {c})"), (2, 60)),
    Base("l_even", "list", ("how many numbers are even", "the count of even numbers"), "sum(1 for x in a if x % 2 == 0)",
         "int", lambda a, c: sum(1 for x in a if x % 2 == 0), ("sum(1 for x in a if x % 2 == 1)", "len(a)")),
    Base("l_squares", "list", ("the sum of the squares of the numbers", "the total of x * x over all numbers x"),
         "sum(x * x for x in a)", "int", lambda a, c: sum(x * x for x in a), ("sum(a) * sum(a)", "sum(x * 2 for x in a)")),
    Base("l_sorted", "list", ("the numbers in increasing order", "the numbers sorted from smallest to largest"),
         "*sorted(a)", "list", lambda a, c: sorted(a), ("*sorted(a, reverse=True)", "*a")),
    Base("l_sorted_desc", "list", ("the numbers in decreasing order", "the numbers sorted from largest to smallest"),
         "*sorted(a, reverse=True)", "list", lambda a, c: sorted(a, reverse=True), ("*sorted(a)", "*a[::-1]")),
    Base("l_reversed", "list", ("the numbers in reverse order", "the numbers from last to first"), "*a[::-1]", "list",
         lambda a, c: a[::-1], ("*a", "*sorted(a)")),
    Base("l_scaled", "list", ("every number multiplied by {c}", "each number times {c}"), "*[x * {c} for x in a]",
         "list", lambda a, c: [x * c for x in a], ("*[x + {c} for x in a]", "*[x * ({c} + 1) for x in a]"), (2, 19)),
    Base("l_shifted", "list", ("every number increased by {c}", "each number plus {c}"), "*[x + {c} for x in a]",
         "list", lambda a, c: [x + c for x in a], ("*[x - {c} for x in a]", "*[x * {c} for x in a]"), (2, 99)),
    # a string s
    Base("s_len", "str", ("the length of s", "the number of letters in s"), "len(s)", "int",
         lambda s, c: len(s), ("len(s) - 1", "s.count('a')")),
    Base("s_count", "str", ("how many times the letter {c} occurs in s", "the number of letters {c} in s"),
         "s.count('{c}')", "int", lambda s, c: s.count(c), ("len(s)", "s.count('{c}') + 1"), (0, 25), const_kind="letter"),
    Base("s_rev", "str", ("s written backwards", "the string s reversed"), "s[::-1]", "str",
         lambda s, c: s[::-1], ("s", "s[1:]")),
    Base("s_repeat", "str", ("s repeated {c} times", "{c} copies of s written together"), "s * {c}", "str",
         lambda s, c: s * c, ("s * ({c} + 1)", "s + s"), (2, 5), atomic=False),
    Base("s_first", "str", ("the first letter of s", "the letter s starts with"), "s[0]", "str",
         lambda s, c: s[0], ("s[-1]", "s[1]")),
    Base("s_pal", "str", ("YES if s is a palindrome and NO otherwise",), '"YES" if s == s[::-1] else "NO"', "yesno",
         lambda s, c: "YES" if s == s[::-1] else "NO", ('"NO" if s == s[::-1] else "YES"', '"YES" if s[0] == s[-1] else "NO"')),
)

POSTS: tuple[Post, ...] = (
    Post("plus", ("{x} plus {c}", "{x}, increased by {c}"), "+", lambda v, c: v + c, (2, 99), ("-", "*")),
    Post("times", ("{x} multiplied by {c}", "{x}, times {c}"), "*", lambda v, c: v * c, (2, 19), ("+", "//")),
    Post("mod", ("{x} modulo {c}", "the remainder of {x} divided by {c}"), "%", lambda v, c: v % c, (2, 19), ("//", "-")),
)
NO_POST = "none"

INTROS: dict[str, tuple[str, ...]] = {
    "none": ("This is a warm-up problem.", "Nothing is given to you.", "The input is empty in this problem."),
    "n": ("You are given an integer n.", "Petya has an integer n.", "Consider a positive integer n."),
    "ab": ("You are given two integers a and b.", "Vasya wrote two integers a and b on the board.",
           "Consider two positive integers a and b."),
    "list": ("You are given a list of n integers.", "Masha has n numbers written in a row.",
             "Consider a sequence of n positive integers."),
    "str": ("You are given a string s.", "Anton wrote a word s.", "Consider a string s of lowercase letters."),
}
ASKS = ("Print {x}.", "Output {x}.", "Your task is to print {x}.")
INPUTS: dict[str, tuple[str, ...]] = {
    "none": ("There is no input.", "The input is empty."),
    "n": ("The only line contains one integer n (1 ≤ n ≤ 10000).",
          "The input consists of a single integer n (1 ≤ n ≤ 10000)."),
    "ab": ("The only line contains two integers a and b (1 ≤ a, b ≤ 1000).",
           "The first line contains two space-separated integers a and b (1 ≤ a, b ≤ 1000)."),
    "list": ("The first line contains an integer n (1 ≤ n ≤ 10). The second line contains n integers a_1, a_2, ..., "
             "a_n (1 ≤ a_i ≤ 100).",
             "The first line contains n (1 ≤ n ≤ 10), the number of integers. The second line contains the n integers "
             "(each between 1 and 100)."),
    "str": ("The only line contains a string s of lowercase English letters (1 ≤ |s| ≤ 20).",
            "The input is one line with a word s made of lowercase letters (its length is between 1 and 20)."),
}
OUTPUTS: dict[str, tuple[str, ...]] = {
    "int": ("Print one integer — the answer.", "Output a single integer."),
    "list": ("Print the numbers on one line, separated by spaces.", "Output the numbers separated by spaces."),
    "str": ("Print the resulting string.", "Output the answer string."),
    "yesno": ("Print YES or NO.", "Output the word YES or the word NO."),
}
READS: dict[str, tuple[str, ...]] = {
    "none": ("", ""),
    "n": ("n = int(input())", "n = int(input().strip())"),
    "ab": ("a, b = map(int, input().split())", "a, b = [int(x) for x in input().split()]"),
    "list": ("n = int(input())\na = list(map(int, input().split()))", "input()\na = [int(x) for x in input().split()]"),
    "str": ("s = input().strip()", "s = input()"),
}
BAD_READS: dict[str, str] = {
    "none": "n = int(input())",
    "n": "n = input()",
    "ab": "a, b = map(int, input())",
    "list": "a = list(map(int, input().split()))",
    "str": "s = int(input())",
}
"""A parse mistake per input kind (a runtime or wrong-answer failure)."""


@dataclass(frozen=True)
class Task:
    """One instance: base + post + their constants + the wording chosen for each slot."""

    base: Base
    post: Post | None
    c_base: Any
    c_post: int | None
    words: tuple[int, int, int, int, int, int]
    """Indices of the intro, ask, base phrase, post phrase, input and output wordings."""

    @property
    def mix(self) -> tuple[str, str]:
        return self.base.key, self.post.key if self.post else NO_POST

    @property
    def identity(self) -> tuple[str, str, Any, Any]:
        return (*self.mix, self.c_base, self.c_post)

    def result_kind(self) -> str:
        return self.base.result

    def expr(self, base_expr: str | None = None, post_op: str | None = None, c_post: int | None = None) -> str:
        """The program's expression (a mutant when any argument is given)."""
        e = (base_expr or self.base.expr).format(c=self.c_base)
        if self.post is None:
            return e
        if post_op == "":  # the post-operation dropped
            return e
        if not self.base.atomic and not e.startswith("*"):
            e = f"({e})"
        return f"{e} {post_op or self.post.op} {self.c_post if c_post is None else c_post}"

    def answer(self, value: Any) -> str:
        v = self.base.oracle(value, self.c_base)
        if self.post is not None:
            v = self.post.oracle(v, self.c_post)  # type: ignore[arg-type]
        if self.base.result == "list":
            return " ".join(map(str, v)) + "\n"
        return f"{v}\n"

    def statement(self, example: tuple[str, str]) -> str:
        i_intro, i_ask, i_base, i_post, i_in, i_out = self.words
        kind = self.base.kind
        x = self.base.phrases[i_base % len(self.base.phrases)].format(c=self.c_base)
        if self.post is not None:
            x = self.post.phrases[i_post % len(self.post.phrases)].format(x=x, c=self.c_post)
        ask = ASKS[i_ask % len(ASKS)].format(x=x)
        return (f"{INTROS[kind][i_intro % 3]} {ask}\n\nInput\n\n{INPUTS[kind][i_in % 2]}\n\nOutput\n\n"
                f"{OUTPUTS[self.base.result][i_out % 2]}\n\nExamples\n\nInput\n\n{example[0]}\nOutput\n\n{example[1]}")

    def program(self, style: int, expr: str | None = None, read: str | None = None) -> str:
        e = self.expr() if expr is None else expr
        body = f"print({e})" if style % 2 == 0 else f"ans = {e}\nprint(ans)" if not e.startswith("*") else f"print({e})"
        read = READS[self.base.kind][style % 2] if read is None else read
        return f"{read}\n{body}\n" if read else f"{body}\n"


def _inputs(kind: str, rng: random.Random, count: int, letter: str | None) -> list[Any]:
    out: list[Any] = []
    for i in range(count):
        if kind == "none":
            out.append(None)
        elif kind == "n":
            out.append(rng.choice([rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 10000)]) if i else
                       rng.randint(5, 60))
        elif kind == "ab":
            a, b = rng.randint(1, 1000 if i else 30), rng.randint(1, 1000 if i else 30)
            if i % 2:  # both orders of a vs b, so max/min/minus mutants fail
                a, b = min(a, b), max(a, b)
            out.append((a, b))
        elif kind == "list":
            out.append([rng.randint(1, 100) for _ in range(rng.randint(2 if i == 0 else 1, 6 if i == 0 else 10))])
        else:
            length = rng.randint(3, 8) if i == 0 else rng.randint(1, 20)
            s = "".join(rng.choice("abcde" if i % 2 else LETTERS) for _ in range(length))
            if letter and i % 3 == 1:
                s = s[:length // 2] + letter + s[length // 2 + 1:]
            if i % 4 == 3:
                s = s + s[::-1]  # palindromes too
            out.append(s or "a")
    return out


def _render_input(kind: str, value: Any) -> str:
    if kind == "none":
        return ""
    if kind == "n":
        return f"{value}\n"
    if kind == "ab":
        return f"{value[0]} {value[1]}\n"
    if kind == "list":
        return f"{len(value)}\n{' '.join(map(str, value))}\n"
    return f"{value}\n"


def run_program(code: str, stdin: str) -> str | None:
    """Our own generated programs' output, run in this process (None when one raises): the builder's check that a
    reference passes and a mutant fails. Never used on model output (that is the sandboxed judge's job)."""
    lines = iter(stdin.splitlines())
    out = io.StringIO()

    def fake_input(prompt: str = "") -> str:
        return next(lines)

    try:
        with redirect_stdout(out):
            exec(compile(code, "<curriculum>", "exec"), {"input": fake_input, "__builtins__": __builtins__})  # noqa: S102
    except BaseException:  # noqa: BLE001 - a mutant's SyntaxError/ValueError/StopIteration is the point
        return None
    return out.getvalue()


def _same(out: str | None, expected: str) -> bool:
    """The judge's own comparator (``alphacode``: tokens, case-insensitive, numbers by value)."""
    from judge.compare import alphacode

    return out is not None and alphacode(out.encode(), expected.encode())


def _mutants(task: Task, rng: random.Random) -> list[tuple[str, str]]:
    """(kind of mistake, program) candidates, most plausible first."""
    cands: list[tuple[str, str]] = []
    style = rng.randrange(2)
    if task.post is not None:
        c = task.c_post or 0
        cands.append(("constant", task.program(style, task.expr(c_post=c + rng.choice((-1, 1))))))
        cands.append(("dropped-post", task.program(style, task.expr(post_op=""))))
        cands.append(("post-op", task.program(style, task.expr(post_op=rng.choice(task.post.wrong_ops)))))
    if task.base.const is not None and task.base.const_kind == "int":
        wrong = task.c_base + rng.choice((-1, 1))
        cands.append(("constant", task.program(style, Task(task.base, task.post, wrong, task.c_post,
                                                           task.words).expr())))
    for m in task.base.mutants:
        cands.append(("base-op", task.program(style, task.expr(base_expr=m))))
    cands.append(("parse", task.program(style, read=BAD_READS[task.base.kind])))
    good = task.program(style)
    cands.append(("syntax", good.replace("print(", "print ", 1) if rng.random() < 0.5 else good.rstrip()[:-1] + "\n"))
    return cands


def _mixes() -> list[tuple[Base, Post | None]]:
    out: list[tuple[Base, Post | None]] = []
    for b in BASES:
        out.append((b, None))
        if b.result == "int":
            out += [(b, p) for p in POSTS]
    return out


def _constant(base: Base, rng: random.Random) -> Any:
    if base.const is None:
        return None
    if base.const_kind == "letter":
        return LETTERS[rng.randint(*base.const)]
    if base.const_kind == "word":
        return "".join(rng.choice(LETTERS) for _ in range(rng.randint(*base.const)))
    return rng.randint(*base.const)


def _task(base: Base, post: Post | None, rng: random.Random) -> Task:
    words = tuple(rng.randrange(6) for _ in range(6))
    return Task(base, post, _constant(base, rng), rng.randint(*post.const) if post else None, words)  # type: ignore[arg-type]


def _problem(task: Task, index: int, split: str, tag: str, rng: random.Random) -> Problem:
    letter = task.c_base if task.base.const_kind == "letter" else None
    values = _inputs(task.base.kind, rng, 2 if task.base.kind == "none" else 9, letter)
    if task.base.key in ("ab_mod", "ab_div"):  # keep a % b and a // b informative: b below a most of the time
        values = [(max(a, b), min(a, b)) if i % 3 else (a, b) for i, (a, b) in enumerate(values)]
    ins = [_render_input(task.base.kind, v) for v in values]
    outs = [task.answer(v) for v in values]
    refs = [task.program(0), task.program(1)]
    for ref in refs:
        for i, o in zip(ins, outs, strict=True):
            if not _same(run_program(ref, i), o):
                raise AssertionError(f"curriculum: reference of {task.identity} fails on {i!r}")
    wrong: list[str] = []
    seen = set(refs)
    for _kind, code in _mutants(task, rng):
        if code in seen:
            continue
        seen.add(code)
        if any(not _same(run_program(code, i), o) for i, o in zip(ins, outs, strict=True)):
            wrong.append(code)
        if len(wrong) == 4:
            break
    post = task.post.key if task.post else NO_POST
    name = f"L{index:04d} {task.base.key}{'' if post == NO_POST else '+' + post}"
    return Problem(
        name=name, description=task.statement((ins[0], outs[0])),
        public_tests=Tests((ins[0],), (outs[0],)), private_tests=Tests(tuple(ins[1:6]), tuple(outs[1:6])),
        generated_tests=Tests(tuple(ins[6:]), tuple(outs[6:])), source="UNKNOWN_SOURCE", difficulty="EASY",
        solutions=Solutions((PY3, PY3), tuple(refs)), incorrect_solutions=Solutions((PY3,) * len(wrong), tuple(wrong)),
        cf_rating=800, cf_tags=(NAME, task.base.kind, tag), time_limit_s=1.0, memory_limit_bytes=256_000_000,
        split=split)


@functools.lru_cache(maxsize=1)
def problems() -> tuple[Problem, ...]:
    """Every curriculum problem (train, then valid, then test), generated once per process (~1 s)."""
    rng = random.Random(SEED)
    mixes = _mixes()
    with_post = [m for m in mixes if m[1] is not None]
    rng.shuffle(with_post)
    held = with_post[:round(HELD_OUT_MIXES * len(with_post))]
    held_keys = {(b.key, p.key if p else NO_POST) for b, p in held}
    seen_mixes = [m for m in mixes if (m[0].key, m[1].key if m[1] else NO_POST) not in held_keys]
    weights = [b.weight for b, _ in seen_mixes]
    train_ids: set[tuple[Any, ...]] = set()
    out: list[Problem] = []
    index = 0
    for split, count in (("train", N_TRAIN), ("valid", N_VALID)):
        for _ in range(count):
            index += 1
            task = _task(*rng.choices(seen_mixes, weights)[0], rng)
            if split == "train":
                train_ids.add(task.identity)
            out.append(_problem(task, index, split, "seen-mix", rng))
    train_mixes = {i[:2] for i in train_ids}
    n_new_mix = round(NEW_MIX_SHARE * N_TEST)
    made = 0
    while made < N_TEST:
        new_mix = made < n_new_mix
        base, post = rng.choice(held if new_mix else seen_mixes)
        task = _task(base, post, rng)
        if task.identity in train_ids or (not new_mix and task.mix not in train_mixes):
            continue  # a test problem is never a training instance (nor a mix training never had, for this kind)
        index += 1
        made += 1
        out.append(_problem(task, index, "test", "new-mix" if new_mix else "new-constant", rng))
    return tuple(out)


def corpus() -> list[str]:
    """Texts a tokenizer for the curriculum is trained on: prompts and reference programs of the training split."""
    from iotatui.data.prompt import render_completion, render_prompt

    texts = []
    for p in problems():
        if p.split == "train":
            texts.append(render_prompt(p, "python3"))
            texts += [render_completion(s, "python3") for s in p.solutions.solution]
    return texts


_WORD = re.compile(r"\w+")


def summary() -> dict[str, Any]:
    """Counts for ``iotatui data problems --source curriculum`` and the tests."""
    ps = problems()
    by_split: dict[str, int] = {}
    tags: dict[str, int] = {}
    for p in ps:
        by_split[p.split] = by_split.get(p.split, 0) + 1
        if p.split == "test":
            tags[p.cf_tags[-1]] = tags.get(p.cf_tags[-1], 0) + 1
    return {"problems": len(ps), "splits": by_split, "test_kinds": tags, "bases": len(BASES), "posts": len(POSTS),
            "mean_statement_words": sum(len(_WORD.findall(p.description)) for p in ps) / len(ps)}
