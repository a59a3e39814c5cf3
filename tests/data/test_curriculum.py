"""The curriculum's split: test problems are unseen instances (a new mix, or a new constant for a known mix), never
a training statement; every problem carries the CodeContests fields the stages read."""

from __future__ import annotations

from iotatui.data.curriculum import N_TEST, problems, summary
from iotatui.data.problems import load_problems


def _mix(name: str) -> str:
    return name.split(" ", 1)[1]  # "L0123 ab_sum+mod" -> "ab_sum+mod"


def test_test_problems_are_unseen_instances() -> None:
    ps = problems()
    train = [p for p in ps if p.split == "train"]
    test = [p for p in ps if p.split == "test"]
    train_mixes = {_mix(p.name) for p in train}
    train_texts = {p.description for p in train}
    kinds = {p.cf_tags[-1] for p in test}
    assert kinds == {"new-mix", "new-constant"} and len(test) == N_TEST
    for p in test:
        assert p.description not in train_texts, p.name
        # a new mix never occurs in training; a new constant's mix does (only its constant is new)
        assert (_mix(p.name) in train_mixes) == (p.cf_tags[-1] == "new-constant"), p.name
    # the new mixes' bases and post-operations each occur in training, with other partners
    bases = {m.split("+")[0] for m in train_mixes}
    posts = {m.split("+")[1] for m in train_mixes if "+" in m}
    for p in test:
        base, _, post = _mix(p.name).partition("+")
        assert base in bases and (not post or post in posts), p.name


def test_every_problem_has_tests_references_and_a_prompt_sized_statement() -> None:
    ps = problems()
    assert len({p.name for p in ps}) == len(ps)
    for p in ps:
        assert len(p.public_tests) == 1 and len(p.private_tests) >= 1, p.name
        assert p.public_tests.input[0] in p.description  # the example is shown
        assert len(p.solutions) == 2 and not p.uses_file_io
    assert sum(len(p.incorrect_solutions) > 0 for p in ps) > 0.9 * len(ps)
    assert summary()["problems"] == len(ps)


def test_load_problems_names_it_and_is_deterministic() -> None:
    a = load_problems("curriculum", split="test")
    b = load_problems("curriculum", split="test")
    assert [p.name for p in a] == [p.name for p in b] and len(a) == N_TEST
    assert {p.split for p in a} == {"test"}
