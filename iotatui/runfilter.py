"""The runs table's ``/`` filter, k9s-style, without Textual (stdlib only).

    stage:sft,dpo  status:failed|active|ended|broken  beta=0.5  lr>1e-5  max_steps<=30  model!=tiny  words

* ``field:value`` for the row's fields (``stage``, ``status``; comma-separated values are alternatives);
* ``key=value``, ``key!=value``, ``key>v``, ``key>=v``, ``key<v``, ``key<=v`` over the run's config (flattened:
  ``a.b``); ``=`` compares numbers as numbers (``1e-5`` = ``0.00001``), else the text case-insensitively; a run
  without the key does not match;
* any other word must occur in what the row *shows* (id, stage, status, progress, metric, the config columns shown),
  not in the config as a whole: ``fail`` finds the failed runs, not every run with a ``fail_at`` key.

An unknown field (``foo:bar``), a config key no run has (``lr>1`` among count runs), or a comparison with a value
that is not a number is an error: :class:`FilterError`, one line, raised by :func:`parse` -- never a silent 0 rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from iotatui.lineage import ACTIVE, ENDED, metric_text, progress_text
from iotatui.siblings import flatten, value_text

STATUS_GROUPS = {"active": ACTIVE, "ended": ENDED, "broken": ("failed", "crashed")}
FIELDS = ("stage", "status")
_FIELD = re.compile(r"([A-Za-z_][\w.-]*):(.*)")
_COMPARE = re.compile(r"([A-Za-z_][\w./-]*?)(!=|>=|<=|=|>|<)(.*)")


class FilterError(ValueError):
    """A filter that cannot mean what it says: one line for the status bar."""


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Compare:
    """``key op value`` over a run's flattened config."""

    key: str
    op: str
    value: str

    def matches(self, config: Mapping[str, Any]) -> bool:
        if self.key not in config:
            return False
        have = value_text(config[self.key])
        a, b = _number(have), _number(self.value)
        if self.op in ("=", "!="):
            same = a == b if a is not None and b is not None else have.lower() == self.value.lower()
            return same if self.op == "=" else not same
        if a is None or b is None:
            return False
        return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[self.op]


@dataclass(frozen=True)
class RunFilter:
    stages: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    compares: tuple[Compare, ...] = ()
    words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stages or self.statuses or self.compares or self.words)

    def matches(self, run: Mapping[str, Any], shown: str | None = None,
                config: Mapping[str, Any] | None = None) -> bool:
        """``shown``: the row's text as drawn (the words are looked for there); ``config``: the run's flattened
        config, when the caller keeps one."""
        if self.stages and str(run.get("stage")) not in self.stages:
            return False
        if self.statuses and str(run.get("status")) not in self.statuses:
            return False
        if self.compares:
            cfg = config if config is not None else flatten(run.get("config") or {})
            if not all(c.matches(cfg) for c in self.compares):
                return False
        if self.words:
            hay = (shown if shown is not None else f"{run.get('id')} {run.get('stage')} {run.get('status')}").lower()
            return all(w in hay for w in self.words)
        return True


def parse(text: str, config_keys: Collection[str] | None = None) -> RunFilter:
    """The filter ``text`` means; FilterError (one line) for an unknown field, a config key not among
    ``config_keys`` (when given: the keys the runs have), or a comparison with a non-number. A field or comparison
    still being typed (``stage:``, ``lr>``) constrains nothing yet."""
    stages: set[str] = set()
    statuses: set[str] = set()
    compares: list[Compare] = []
    words: list[str] = []
    for token in text.split():
        m = _COMPARE.fullmatch(token)
        f = _FIELD.fullmatch(token)
        if m:
            key, op, value = m.groups()
            if config_keys is not None and key not in config_keys:
                known = sorted(k for k in config_keys if key.lower() in k.lower())[:3]
                hint = f" (like {', '.join(known)})" if known else ""
                raise FilterError(f"{token}: no run has a config key {key!r}{hint}")
            if not value:
                continue
            if op not in ("=", "!=") and _number(value) is None:
                raise FilterError(f"{token}: {value!r} is not a number ({op} compares numbers)")
            compares.append(Compare(key, op, value))
        elif f:
            name, value = f.group(1).lower(), f.group(2).lower()
            values = [v for v in re.split(r"[,|]", value) if v]
            if name == "stage":
                stages.update(values)
            elif name == "status":
                for v in values:
                    statuses.update(STATUS_GROUPS.get(v, (v,)))
            else:
                raise FilterError(f"{token}: unknown field {name!r} (fields: {', '.join(FIELDS)}; config: key=value, "
                                  f"key>v)")
        else:
            words.append(token.lower())
    return RunFilter(frozenset(stages), frozenset(statuses), tuple(compares), tuple(words))


def config_keys(runs: Iterable[Mapping[str, Any]], configs: Callable[[Mapping[str, Any]], Mapping[str, Any]]
                | None = None) -> set[str]:
    """Every flattened config key of ``runs`` (what a ``key=value`` may name)."""
    of = configs or (lambda r: flatten(r.get("config") or {}))
    return {k for r in runs for k in of(r)}


def shown_text(run: Mapping[str, Any], now: float, extra: Iterable[str] = ()) -> str:
    """What a row of the runs table shows, as one string (the words of a filter are looked for here)."""
    return " ".join((str(run.get("id")), str(run.get("stage")), str(run.get("status")), progress_text(run, now),
                     metric_text(run), *extra))


def filter_runs(runs: Iterable[Mapping[str, Any]], text: str, now: float = 0.0) -> list[dict[str, Any]]:
    """``runs`` that match ``text`` (FilterError for a bad filter); the config keys checked against ``runs``."""
    rows = [dict(r) for r in runs]
    f = parse(text, config_keys(rows))
    return [r for r in rows if f.matches(r, shown_text(r, now))]
