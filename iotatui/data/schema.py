"""The CodeContests problem model (mirrors Hugging Face ``deepmind/code_contests`` rows).

Stdlib only: the judge, the loaders, the store and the app all share it. Enums are mapped *by name*, because the
Hugging Face parquet renumbers two of them against the proto (Source ATCODER/AIZU, Difficulty K/L); see
``shared/notes/judge.md`` §1. ``Problem.from_row`` accepts a raw HF row (integers or names) and ``to_row`` writes
the HF numbering, so a file we write loads with ``datasets`` exactly like the real dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# HF class-label order (what the parquet holds). The proto numbering differs; we never store proto ints.
SOURCES: tuple[str, ...] = (
    "UNKNOWN_SOURCE", "CODECHEF", "CODEFORCES", "HACKEREARTH", "CODEJAM", "ATCODER", "AIZU",
)
DIFFICULTIES: tuple[str, ...] = (
    "UNKNOWN_DIFFICULTY", "EASY", "MEDIUM", "HARD", "HARDER", "HARDEST", "EXTERNAL",
    *[chr(c) for c in range(ord("A"), ord("V") + 1)],
)
# Language enum, identical in HF and proto. 1 is Python 2.
LANGUAGES: tuple[str, ...] = ("UNKNOWN_LANGUAGE", "PYTHON", "CPP", "PYTHON3", "JAVA")
# THE language vocabulary: our canonical short names, their enum codes, and every spelling accepted for them (data
# rows, SOLUTIONS.jsonl, markdown fence tags, CLI options). The judge, the prompt and the Codeforces importer all go
# through ``normalize_language``; nothing else keeps an alias list.
LANGUAGE_CODES: dict[str, int] = {"python2": 1, "cpp": 2, "python3": 3, "java": 4}
CODE_LANGUAGES: dict[int, str] = {v: k for k, v in LANGUAGE_CODES.items()}
LANGUAGE_ALIASES: dict[str, str] = {
    "python3": "python3", "python": "python3", "py3": "python3", "py": "python3",
    "python2": "python2", "py2": "python2",
    "cpp": "cpp", "c++": "cpp", "cxx": "cpp", "cc": "cpp", "cpp17": "cpp",
    "java": "java",
}
"""Lower-case spelling -> canonical name. Plain ``python`` is Python 3 (what models and users mean today), unlike the
HF enum name ``PYTHON`` (code 1, Python 2): enum ints are mapped through ``CODE_LANGUAGES`` instead."""
JUDGE_LANGUAGES: tuple[str, ...] = ("python3", "cpp")
"""The languages the judge runs (the others are data only)."""


def normalize_language(value: Any, supported: tuple[str, ...] | None = None) -> str:
    """Canonical short name (``python3``, ``cpp``, ``python2``, ``java``) from an accepted spelling (case-insensitive:
    ``Python``, ``C++``, ``py3``) or an enum int (3). ``supported`` narrows what is accepted (the judge passes
    ``JUDGE_LANGUAGES``). ValueError names the value and what would do.
    """
    allowed = supported or tuple(LANGUAGE_CODES)
    if isinstance(value, int) and not isinstance(value, bool):
        name = CODE_LANGUAGES.get(value)
        if name in allowed:
            return name
        codes = ", ".join(f"{n} = {LANGUAGE_CODES[n]}" for n in allowed)
        raise ValueError(f"language: code {value} ({name or 'unknown'}) is not supported ({codes})")
    if isinstance(value, str) and LANGUAGE_ALIASES.get(value.strip().lower()) in allowed:
        return LANGUAGE_ALIASES[value.strip().lower()]
    raise ValueError(f"language: unknown {value!r} (use {' or '.join(allowed)})")

DEFAULT_TIME_LIMIT_S = 2.0
"""Used when a problem has no ``time_limit`` (HF stores None for some, mostly training, problems)."""
DEFAULT_MEMORY_LIMIT_BYTES = 256_000_000
"""Used when ``memory_limit_bytes`` is 0 or missing. Decimal bytes, as CodeContests stores them."""


def enum_name(value: Any, names: tuple[str, ...], field_name: str) -> str:
    """Map an HF class-label int, or a name, to the name. Raises ValueError naming the field."""
    if isinstance(value, bool):
        raise ValueError(f"{field_name}: expected an enum int or name, got {value!r}")
    if isinstance(value, int):
        if 0 <= value < len(names):
            return names[value]
        raise ValueError(f"{field_name}: {value} is not a valid code (0..{len(names) - 1})")
    if isinstance(value, str) and value.upper() in names:
        return value.upper()
    raise ValueError(f"{field_name}: unknown value {value!r}")


@dataclass(frozen=True)
class Tests:
    """Parallel lists of stdin inputs and expected stdout outputs."""

    input: tuple[str, ...] = ()
    output: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.input)

    @classmethod
    def from_dict(cls, d: Any, field_name: str) -> Tests:
        if d is None:
            return cls()
        if not isinstance(d, dict) or "input" not in d or "output" not in d:
            raise ValueError(f"{field_name}: expected {{input: [...], output: [...]}}")
        ins, outs = list(d["input"] or []), list(d["output"] or [])
        if len(ins) != len(outs):
            raise ValueError(f"{field_name}: {len(ins)} inputs but {len(outs)} outputs")
        if not all(isinstance(x, str) for x in ins + outs):
            raise ValueError(f"{field_name}: inputs and outputs must be strings")
        return cls(tuple(ins), tuple(outs))

    def to_dict(self) -> dict[str, list[str]]:
        return {"input": list(self.input), "output": list(self.output)}


@dataclass(frozen=True)
class Solutions:
    """Parallel lists of language codes (1 = Python 2, 2 = C++, 3 = Python 3, 4 = Java) and source texts."""

    language: tuple[int, ...] = ()
    solution: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.solution)

    def of(self, language: str) -> list[str]:
        """Sources in one language, by our short name (``python3``, ``cpp``…)."""
        code = LANGUAGE_CODES[language]
        return [s for lang, s in zip(self.language, self.solution, strict=True) if lang == code]

    @classmethod
    def from_dict(cls, d: Any, field_name: str) -> Solutions:
        if d is None:
            return cls()
        if not isinstance(d, dict) or "language" not in d or "solution" not in d:
            raise ValueError(f"{field_name}: expected {{language: [...], solution: [...]}}")
        langs, sols = list(d["language"] or []), list(d["solution"] or [])
        if len(langs) != len(sols):
            raise ValueError(f"{field_name}: {len(langs)} languages but {len(sols)} solutions")
        out_langs = []
        for lang in langs:
            if isinstance(lang, str):
                lang = LANGUAGES.index(enum_name(lang, LANGUAGES, field_name))
            if not isinstance(lang, int) or not 0 <= lang < len(LANGUAGES):
                raise ValueError(f"{field_name}: bad language code {lang!r}")
            out_langs.append(lang)
        return cls(tuple(out_langs), tuple(sols))

    def to_dict(self) -> dict[str, list[Any]]:
        return {"language": list(self.language), "solution": list(self.solution)}


@dataclass(frozen=True)
class Problem:
    """One CodeContests problem. Field names and meanings follow the HF dataset card."""

    name: str
    description: str
    public_tests: Tests = field(default_factory=Tests)
    private_tests: Tests = field(default_factory=Tests)
    generated_tests: Tests = field(default_factory=Tests)
    source: str = "UNKNOWN_SOURCE"
    difficulty: str = "UNKNOWN_DIFFICULTY"
    solutions: Solutions = field(default_factory=Solutions)
    incorrect_solutions: Solutions = field(default_factory=Solutions)
    cf_contest_id: int = 0
    cf_index: str = ""
    cf_points: float = 0.0
    cf_rating: int = 0
    cf_tags: tuple[str, ...] = ()
    is_description_translated: bool = False
    untranslated_description: str = ""
    time_limit_s: float | None = None
    """Seconds, from HF ``time_limit`` {seconds, nanos}; None when the dataset gives none."""
    memory_limit_bytes: int = 0
    input_file: str = ""
    output_file: str = ""
    split: str = ""
    """train / valid / test when known (not an HF column: HF keeps splits apart)."""

    @property
    def time_limit(self) -> float:
        """Effective time limit in seconds (the documented default when the dataset has none)."""
        return self.time_limit_s if self.time_limit_s else DEFAULT_TIME_LIMIT_S

    @property
    def memory_limit(self) -> int:
        """Effective memory limit in bytes (the documented default when the dataset has 0)."""
        return self.memory_limit_bytes if self.memory_limit_bytes > 0 else DEFAULT_MEMORY_LIMIT_BYTES

    @property
    def uses_file_io(self) -> bool:
        return bool(self.input_file or self.output_file)

    @classmethod
    def from_row(cls, row: dict[str, Any], split: str = "") -> Problem:
        """Build from an HF row (or our JSONL row). Raises ValueError naming the first bad field."""
        for req in ("name", "description"):
            if req not in row or not isinstance(row[req], str):
                raise ValueError(f"{req}: missing or not a string")
        tl = row.get("time_limit")
        if tl is None:
            time_limit_s = None
        elif isinstance(tl, dict):
            time_limit_s = float(tl.get("seconds") or 0) + float(tl.get("nanos") or 0) / 1e9
            if time_limit_s < 0:
                raise ValueError(f"time_limit: {tl!r} is negative")
            time_limit_s = time_limit_s or None  # HF's struct of zeros: none given (the default applies)
        elif isinstance(tl, (int, float)) and not isinstance(tl, bool):
            time_limit_s = float(tl)
            if not time_limit_s > 0:  # a plain number is a limit someone wrote: 0 or less cannot be judged
                raise ValueError(f"time_limit: {tl!r} must be > 0 seconds")
        else:
            raise ValueError(f"time_limit: expected {{seconds, nanos}} or None, got {tl!r}")
        mem = row.get("memory_limit_bytes") or 0
        if not isinstance(mem, int) or isinstance(mem, bool) or mem < 0:
            raise ValueError(f"memory_limit_bytes: expected a non-negative int, got {mem!r}")
        return cls(
            name=row["name"],
            description=row["description"],
            public_tests=Tests.from_dict(row.get("public_tests"), "public_tests"),
            private_tests=Tests.from_dict(row.get("private_tests"), "private_tests"),
            generated_tests=Tests.from_dict(row.get("generated_tests"), "generated_tests"),
            source=enum_name(row.get("source", 0) or 0, SOURCES, "source"),
            difficulty=enum_name(row.get("difficulty", 0) or 0, DIFFICULTIES, "difficulty"),
            solutions=Solutions.from_dict(row.get("solutions"), "solutions"),
            incorrect_solutions=Solutions.from_dict(row.get("incorrect_solutions"), "incorrect_solutions"),
            cf_contest_id=int(row.get("cf_contest_id") or 0),
            cf_index=str(row.get("cf_index") or ""),
            cf_points=float(row.get("cf_points") or 0.0),
            cf_rating=int(row.get("cf_rating") or 0),
            cf_tags=tuple(row.get("cf_tags") or ()),
            is_description_translated=bool(row.get("is_description_translated") or False),
            untranslated_description=str(row.get("untranslated_description") or ""),
            time_limit_s=time_limit_s,
            memory_limit_bytes=mem,
            input_file=str(row.get("input_file") or ""),
            output_file=str(row.get("output_file") or ""),
            split=str(row.get("split") or split or ""),
        )

    def to_row(self) -> dict[str, Any]:
        """The HF row (HF enum numbering), plus our ``split`` key."""
        tl = None
        if self.time_limit_s:
            secs = int(self.time_limit_s)
            tl = {"seconds": secs, "nanos": int(round((self.time_limit_s - secs) * 1e9))}
        return {
            "name": self.name,
            "description": self.description,
            "public_tests": self.public_tests.to_dict(),
            "private_tests": self.private_tests.to_dict(),
            "generated_tests": self.generated_tests.to_dict(),
            "source": SOURCES.index(self.source),
            "difficulty": DIFFICULTIES.index(self.difficulty),
            "solutions": self.solutions.to_dict(),
            "incorrect_solutions": self.incorrect_solutions.to_dict(),
            "cf_contest_id": self.cf_contest_id,
            "cf_index": self.cf_index,
            "cf_points": self.cf_points,
            "cf_rating": self.cf_rating,
            "cf_tags": list(self.cf_tags),
            "is_description_translated": self.is_description_translated,
            "untranslated_description": self.untranslated_description,
            "time_limit": tl,
            "memory_limit_bytes": self.memory_limit_bytes,
            "input_file": self.input_file,
            "output_file": self.output_file,
            "split": self.split,
        }

    def tests(self, sets: tuple[str, ...] = ("public", "private", "generated")) -> list[tuple[str, int, str, str]]:
        """(set, index, input, output) in judge order: public, then private, then generated."""
        out: list[tuple[str, int, str, str]] = []
        for s in sets:
            t: Tests = getattr(self, f"{s}_tests")
            out.extend((s, i, a, b) for i, (a, b) in enumerate(zip(t.input, t.output, strict=True)))
        return out
