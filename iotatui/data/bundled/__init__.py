"""The bundled problem set: our own CodeContests-schema problems, shipped with the package.

``problems.jsonl`` is generated from ``src/`` by ``python -m iotatui.data.bundled.build`` (never edited by hand);
one HF ``deepmind/code_contests`` row per line plus a ``split`` key (train / valid / test).
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_PATH: Path = Path(__file__).resolve().parent / "problems.jsonl"
"""The generated JSONL of the bundled problems (rows load with ``Problem.from_row``)."""
