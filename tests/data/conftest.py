"""Fixtures for the data tests: raw HF-style rows, files in every supported format, a tiny model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

PY_OK = "n = int(input())\nprint(n * 2)\n"
PY_BAD = "n = int(input())\nprint(n * 3)\n"
CPP_OK = "#include <cstdio>\nint main() {\n    int n;\n    scanf(\"%d\", &n);\n    printf(\"%d\\n\", 2 * n);\n}\n"
CPP_BAD = "#include <cstdio>\nint main() {\n    int n;\n    scanf(\"%d\", &n);\n    printf(\"%d\\n\", 3 * n);\n}\n"


def hf_row(name: str, **over: Any) -> dict[str, Any]:
    """A raw row as the HF parquet holds it (integer class labels, protobuf Duration time limit)."""
    row: dict[str, Any] = {
        "name": name,
        "description": f"Statement of {name}. Print twice the number n.",
        "public_tests": {"input": ["1\n"], "output": ["2\n"]},
        "private_tests": {"input": ["2\n", "5\n"], "output": ["4\n", "10\n"]},
        "generated_tests": {"input": [], "output": []},
        "source": 2,
        "difficulty": 7,
        "solutions": {"language": [3, 2], "solution": [PY_OK, CPP_OK]},
        "incorrect_solutions": {"language": [3, 2], "solution": [PY_BAD, CPP_BAD]},
        "cf_contest_id": 0, "cf_index": "", "cf_points": 0.0, "cf_rating": 0, "cf_tags": [],
        "is_description_translated": False, "untranslated_description": "",
        "time_limit": {"seconds": 2, "nanos": 0}, "memory_limit_bytes": 256000000,
        "input_file": "", "output_file": "",
    }
    row.update(over)
    return row


def write_jsonl(path: Path, rows: list[Any], raw_lines: dict[int, str] | None = None) -> Path:
    """Rows as JSON lines; ``raw_lines`` inserts literal (possibly broken) lines before the given 0-based row."""
    raw_lines = raw_lines or {}
    with open(path, "w", encoding="utf-8") as fh:
        for i, r in enumerate(rows):
            if i in raw_lines:
                fh.write(raw_lines[i] + "\n")
            fh.write(json.dumps(r) + "\n")
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny Llama + tokenizer (trained on the bundled corpus) shared by the whole session (~5 s)."""
    from iotatui.data.models import make_tiny

    return make_tiny(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="session")
def tiny_tokenizer(tiny_model: Path) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)
