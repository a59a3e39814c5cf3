"""Whether a run judges programs, and the judge's sandbox made ready before any run of a pipeline is written.

:func:`iotatui.pipeline.queue` (``iotatui pipeline``, ``make demo``) asks :func:`judges` of each planned run's config
(``pipeline.judging``) and, once every config is checked, calls :func:`prepare`: the Docker daemon answers and the
judge image exists (built here, once, so the runs that start together do not each try to build it), or one line
saying what is missing. Stdlib only at the top level.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iotatui.workspace import Workspace

BWRAP_HINT = "`iotatui pipeline --sandbox bwrap` (`make demo SANDBOX=bwrap`)"
"""How a pipeline chooses bubblewrap, for the line that says Docker is missing but bubblewrap works."""


def judges(cfg: dict[str, Any]) -> bool:
    """Does a run with this resolved config judge programs? ``eval``/``judge`` always; an RL stage only when its
    reward runs the judge (``judge``, ``mix``), not with ``rm`` or a ``callable:`` reward."""
    return "sandbox" in cfg and str(cfg.get("reward", "judge")) in ("judge", "mix")


def prepare(ws: Workspace, judged: dict[str, str]) -> None:
    """Make every sandbox in ``judged`` ready (Docker: on the workspace's ``judge_hosts`` when it names some), and
    say on stderr what the runs will judge in. SandboxError, one line with the fix, when one cannot be had."""
    from iotatui.config import parse_judge_hosts
    from judge.preflight import ensure_sandbox

    used = []
    for kind in sorted(set(judged.values())):
        hosts = parse_judge_hosts(ws.settings.judge_hosts) if kind == "docker" else []
        ref = ensure_sandbox(kind, hosts, bwrap_hint=BWRAP_HINT)
        used.append(f"{ref} for {', '.join(n for n, k in judged.items() if k == kind)}")
    if used:
        print(f"judge sandbox: {'; '.join(used)}", file=sys.stderr, flush=True)
