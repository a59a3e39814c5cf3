"""Code extraction from model completions (the eval stage; stdlib only).

Rule: the first fenced block whose tag is the asked language (an untagged fence counts as the asked language: the
prompt named it); else the whole text. A block cut by the token limit (no closing fence) keeps what was generated.
The result records how the code was found (``how``), so a report can tell "no fence" from "wrong language".

HumanEval is completion-style: the prompt is the function head and the model continues it, so the program is the
prompt plus the completion, unless the completion already restates the function (then the extracted code alone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iotatui.data.prompt import normalize_code
from iotatui.data.schema import LANGUAGE_ALIASES

_OPEN = re.compile(r"^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)
_CLOSE = re.compile(r"^[ \t]*```[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Extraction:
    code: str
    how: str
    """``fenced`` (a closed block of the language), ``fenced-open`` (the block was cut off), ``whole`` (no block of
    the asked language: the whole text)."""
    tag: str | None = None
    """The fence's tag as written ('' for an untagged fence), None when the whole text was taken."""


def _same_language(tag: str, language: str) -> bool:
    """An untagged fence is the language the prompt asked for; a tag counts through the one alias table."""
    if not tag:
        return True
    want = LANGUAGE_ALIASES.get(language.lower(), language.lower())
    return LANGUAGE_ALIASES.get(tag.lower(), tag.lower()) == want


def extract(completion: str, language: str) -> Extraction:
    """The program in ``completion`` for ``language`` (python3, cpp, ...); see the module docstring."""
    pos = 0
    while True:
        m = _OPEN.search(completion, pos)
        if m is None:
            break
        tag = m.group(1)
        body_start = m.end() + 1
        close = _CLOSE.search(completion, body_start)
        if not tag and close is None and completion[:m.start()].strip():
            # A lone bare fence after some text closes an unfenced program (the model skipped the opening one).
            return Extraction(normalize_code(completion[:m.start()]), "whole", None)
        if _same_language(tag, language):
            if close is None:
                return Extraction(normalize_code(completion[body_start:]), "fenced-open", tag)
            return Extraction(normalize_code(completion[body_start:close.start()]), "fenced", tag)
        if close is None:
            break
        pos = close.end()  # skip the other language's block, fences inside it included
    return Extraction(normalize_code(completion), "whole", None)


def humaneval_program(prompt: str, completion: str) -> Extraction:
    """The HumanEval solution (prompt included, as ``judge.humaneval.wrap`` expects) for a completion of ``prompt``."""
    ex = extract(completion, "python3")
    head = re.search(r"^def (\w+)", prompt, re.MULTILINE)
    if ex.how != "whole" and head and re.search(rf"^def {head.group(1)}\b", ex.code, re.MULTILINE):
        return ex  # the model restated the whole function in a block
    body = ex.code if ex.how != "whole" else completion
    # The prompt ends inside the function (after its docstring): the completion continues it verbatim.
    return Extraction(prompt + body, ex.how, ex.tag)
