"""THE prompt template, shared by SFT data, preference data and generation (same text at train and sample time).

A prompt is the problem statement plus an instruction naming the language, ending in ``"\\n"``; the completion is
the program in a fenced block (```` ```python ```` … ```` ``` ````). The boundary matters for DPO: TRL splits prompt
and completion at the common token prefix and warns "The tokenized prompt is not a prefix" when the last prompt
token merges with the first completion token (training.md §1.2). Byte-level BPE pre-tokenisers never merge a
newline with a following non-space character, and a completion always starts with the backtick fence, so the
prompt ends on a token boundary with any GPT-2-style tokenizer (DeepSeek-Coder's included); a test checks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iotatui.data.schema import CODE_LANGUAGES, LANGUAGE_ALIASES, Problem

TEMPLATE_VERSION = 1
"""Bump when the text changes: models trained on one version should be sampled with the same one."""

LANGUAGE_TITLES: dict[str, str] = {"python3": "Python 3", "python2": "Python 2", "cpp": "C++", "java": "Java"}
FENCE_TAGS: dict[str, str] = {"python3": "python", "python2": "python2", "cpp": "cpp", "java": "java"}
"""Fence info string per language. Plain ``python`` means Python 3 (what models see most in the wild)."""

_PROMPT = (
    "Solve the following competitive programming problem. Read from standard input and write to standard "
    "output.\n\n"
    "{description}\n\n"
    "Time limit: {time_limit:g} second{plural}. Memory limit: {memory_mb} MB.\n\n"
    "Write a complete program in {language_title}.\n"
)
_FENCE_OPEN = re.compile(r"^[ \t]*```[ \t]*([\w+#-]*)[ \t]*\r?$", re.MULTILINE)
_FENCE_CLOSE = re.compile(r"^[ \t]*```[ \t]*\r?$", re.MULTILINE)


def _check_language(language: str) -> str:
    if language not in LANGUAGE_TITLES:
        raise ValueError(f"language: unknown value {language!r} (expected one of {', '.join(LANGUAGE_TITLES)})")
    return language


def language_name(code: int) -> str:
    """Enum int → our short name (``3`` → ``python3``). Raises ValueError for UNKNOWN_LANGUAGE."""
    if code not in CODE_LANGUAGES:
        raise ValueError(f"language: code {code} has no short name")
    return CODE_LANGUAGES[code]


def render_prompt(problem: Problem, language: str) -> str:
    """The prompt for ``problem`` asking for a program in ``language`` (python3/python2/cpp/java)."""
    _check_language(language)
    return _PROMPT.format(
        description=problem.description.strip(),
        time_limit=problem.time_limit,
        plural="" if problem.time_limit == 1 else "s",
        memory_mb=problem.memory_limit // 1_000_000,
        language_title=LANGUAGE_TITLES[language],
    )


def normalize_code(code: str) -> str:
    """Canonical program text: LF line ends, no trailing blank lines or trailing spaces, one final newline.

    Everything we train on goes through this, so ``extract_code(render_completion(c)) == normalize_code(c)`` and
    exact-duplicate detection is not fooled by CRLF or trailing whitespace.
    """
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return text + "\n" if text else ""


def render_completion(code: str, language: str) -> str:
    """The completion: ``code`` in a fenced block tagged with its language, ending right after the closing fence."""
    _check_language(language)
    return f"```{FENCE_TAGS[language]}\n{normalize_code(code)}```"


@dataclass(frozen=True)
class Extracted:
    """Code pulled out of a completion."""

    code: str
    language: str | None
    """From the fence tag; None when there was no (known) tag."""
    complete: bool
    """False when the closing fence never came (generation hit its token limit) or there was no fence at all."""


def extract(completion: str) -> Extracted:
    """Pull the first fenced block out of a model completion.

    No opening fence: the text up to any closing fence is taken as code (a model that skipped the fence).
    An unterminated block (cut by max_tokens) gives everything after the opening fence, ``complete=False``.
    """
    m = _FENCE_OPEN.search(completion)
    if m is None:
        head = completion.split("```", 1)[0]
        return Extracted(normalize_code(head), None, False)
    tag = m.group(1).lower()
    body_start = m.end() + 1 if m.end() < len(completion) else m.end()
    close = _FENCE_CLOSE.search(completion, body_start)
    if not tag and close is None and completion[:m.start()].strip():
        # A lone untagged fence after some text closes an unfenced program, it does not open one.
        return Extracted(normalize_code(completion[:m.start()]), None, False)
    if close is None:
        body, complete = completion[body_start:], False
    else:
        body, complete = completion[body_start:close.start()], True
    return Extracted(normalize_code(body), LANGUAGE_ALIASES.get(tag), complete)  # the one alias table


def extract_code(completion: str) -> str:
    """Just the program text of :func:`extract` (may be empty)."""
    return extract(completion).code
