from __future__ import annotations

import json
import math
import time
from pathlib import Path

from backends.events import (
    EVENT_TYPES,
    SCHEMA_VERSION,
    TEST_CODES,
    Checkpoint,
    EventWriter,
    Metrics,
    ProblemInfo,
    RunFailed,
    RunStopped,
    VerdictEvent,
    compact_tests,
    decode,
    decode_lines,
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


def test_the_ingester_decodes_with_this_module() -> None:
    """One schema: the ingester's decoder is the one tested here, not a copy."""
    import iotatui.ingest

    assert iotatui.ingest.decode_lines is decode_lines


def test_decode_lines_keeps_what_it_can_use_and_skips_the_rest() -> None:
    good = [Metrics(step=1, values={"a": 1.0}, t=1), RunStopped(reason="x", t=2), Checkpoint(step=3, path="p", t=3)]
    chunk = (
        good[0].to_line()
        + "\n"  # blank
        + '{"v": 1, "event": "metrics", "t": 1, "st\n'  # torn
        + '{"v":1,"event":"log","t":1,"text":"a"}{"v":1,"event":"log","t":1,"text":"b"}\n'  # run together
        + '{"v": 2, "event": "metrics", "t": 1, "step": 1, "values": {}}\n'  # a newer schema
        + '{"v": 1, "event": "telepathy", "t": 1}\n'  # an unknown kind
        + "  " + good[1].to_line().rstrip("\n") + "\r\n"  # leading blanks, CRLF
        + good[2].to_line()
    )
    assert list(decode_lines(chunk.encode())) == good
    assert list(decode_lines(chunk)) == good
    assert list(decode_lines(b'\xff\xfe{"v":1,"event":"log"\n')) == []


def test_new_kinds_round_trip_with_their_fields() -> None:
    events = [
        RunStopped(reason="SIGTERM", step=40),
        ProblemInfo(name="1A", problem_set="codeforces", split="test", difficulty="A", cf_rating=1000, n_public=2,
                    n_private=10, n_generated=100, time_limit_s=1.0, memory_limit_bytes=256 << 20),
        VerdictEvent(sample_id="s", problem="1A", verdict="WRONG_ANSWER", tests="AW--", time_ms=[5, 6], memory_kb=[1, 2],
                     n_tests=4, fail_test=1, fail_output="3\n", fail_stderr="warning: x", sample_run="gen-run"),
    ]
    for ev in events:
        d = json.loads(ev.to_line())
        assert d["event"] == ev.kind and d["v"] == SCHEMA_VERSION
        assert decode(d) == ev
    assert json.loads(events[0].to_line())["event"] == "stopped"
    assert json.loads(events[1].to_line())["event"] == "problem"


def test_an_old_verdict_line_decodes_with_defaults_for_the_new_fields() -> None:
    ev = decode({"v": 1, "event": "verdict", "t": 1, "sample_id": "s", "verdict": "OK", "tests": "AA"})
    assert ev == VerdictEvent(sample_id="s", verdict="OK", tests="AA", t=1)
    assert isinstance(ev, VerdictEvent) and ev.n_tests == 0 and ev.fail_test is None and ev.sample_run is None


def test_decode_rejects_what_it_cannot_use() -> None:
    assert decode([1, 2]) is None
    assert decode({"event": ["metrics"]}) is None  # unhashable kind: None, not a TypeError
    assert decode({"v": "1", "event": "metrics"}) is None
    assert decode({"v": 1, "event": "metrics", "step": 1, "values": {}, "t": 2}) == Metrics(step=1, t=2)
    assert decode({"event": "log", "text": "no v means version 1"}) is not None


def test_compact_tests_is_one_letter_per_test() -> None:
    assert compact_tests(["OK", "OK", "WRONG_ANSWER"]) == "AAW"
    assert compact_tests(["OK", "TIME_LIMIT"], n_tests=5) == "AT---"  # fail-fast skipped the rest
    assert compact_tests(["OK", "NEW_VERDICT"]) == "A?"
    assert compact_tests([]) == ""
    assert len(set(TEST_CODES.values())) == len(TEST_CODES)  # letters decode back unambiguously


def test_emit_many_writes_whole_lines_in_order(tmp_path: Path) -> None:
    w = EventWriter(tmp_path / "events.jsonl")
    w.emit_many([Metrics(step=i, values={"a": i}) for i in range(3)] + [RunStopped(reason="x", step=2)])
    w.close()
    parsed = [parse_line(ln) for ln in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert [getattr(e, "step", None) for e in parsed] == [0, 1, 2, 2] and isinstance(parsed[-1], RunStopped)


def test_hostname_is_still_importable_from_the_schema_module() -> None:
    import socket

    from backends._runtime import hostname as runtime_hostname
    from backends.events import hostname

    assert hostname is runtime_hostname and hostname() == socket.gethostname()


def test_decoded_events_equal_constructed_ones_and_never_share_defaults() -> None:
    for kind, cls in EVENT_TYPES.items():
        assert decode({"event": kind, "t": 5.0}) == cls(t=5.0), kind  # every default as the constructor gives it
    a = decode({"event": "verdict", "t": 1})
    b = decode({"event": "verdict", "t": 1})
    assert isinstance(a, VerdictEvent) and isinstance(b, VerdictEvent)
    a.time_ms.append(1)
    assert b.time_ms == [] and VerdictEvent().time_ms == []
    before = time.time()
    assert decode({"event": "log"}).t >= before  # type: ignore[union-attr]  # no t: the time it was read
