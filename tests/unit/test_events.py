from __future__ import annotations

import json
import math
from pathlib import Path

from backends.events import (
    EVENT_TYPES,
    SCHEMA_VERSION,
    Checkpoint,
    EventWriter,
    Metrics,
    RunFailed,
    parse_line,
)


def test_round_trip_every_kind() -> None:
    for kind, cls in EVENT_TYPES.items():
        ev = cls()
        back = parse_line(ev.to_line())
        assert back == ev, kind
        assert json.loads(ev.to_line())["v"] == SCHEMA_VERSION


def test_unknown_kind_newer_version_and_torn_lines_are_skipped() -> None:
    assert parse_line('{"v": 1, "event": "telepathy", "t": 1}') is None
    assert parse_line('{"v": 99, "event": "metrics", "t": 1, "step": 1, "values": {}}') is None
    assert parse_line('{"v": 1, "event": "metrics", "t": 1, "st') is None
    assert parse_line(b"\xff\xfe garbage") is None
    # unknown extra fields from a newer minor revision are ignored, not fatal
    ev = parse_line('{"v": 1, "event": "checkpoint", "t": 1, "step": 3, "path": "p", "sha": "x"}')
    assert ev == Checkpoint(step=3, path="p", t=1)


def test_nan_travels_as_null(tmp_path: Path) -> None:
    w = EventWriter(tmp_path / "events.jsonl")
    w.metrics(1, {"loss": float("nan"), "kl": math.inf, "ok": 0.5})
    w.close()
    line = (tmp_path / "events.jsonl").read_text()
    assert "NaN" not in line and "Infinity" not in line
    ev = parse_line(line)
    assert isinstance(ev, Metrics) and ev.values == {"loss": None, "kl": None, "ok": 0.5}


def test_writer_starts_a_fresh_line_after_a_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"v": 1, "event": "metrics", "t": 1, "step": 1, "values": {"a": 1}}\n{"v": 1, "event": "metr')
    w = EventWriter(path)
    w.emit(RunFailed(error="boom"))
    w.close()
    lines = path.read_text().splitlines()
    parsed = [parse_line(ln) for ln in lines]
    assert parsed[0] is not None and parsed[1] is None and isinstance(parsed[2], RunFailed)
