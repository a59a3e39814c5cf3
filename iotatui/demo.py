"""``make demo``: the smoke pipeline (:mod:`iotatui.pipeline`) on the bundled problems, then the app to watch it.

    python -m iotatui.demo [--headless]

Builds the tiny model into ``./demo-workspace`` (``IOTATUI_DEMO_HOME``) if missing, queues data, SFT, DPO/ORPO/RM,
PPO where installed, and the evals, then opens the app. Without a terminal (CI, a pipe) or with ``--headless`` it
waits for the graph and prints the report instead; the exit status is 1 when a run did not finish.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from iotatui import pipeline
    from iotatui.workspace import Workspace

    args = sys.argv[1:] if argv is None else argv
    unknown = [a for a in args if a != "--headless"]
    if unknown:
        print(f"error: unknown argument {unknown[0]!r} (usage: python -m iotatui.demo [--headless])", file=sys.stderr)
        return 2
    headless = "--headless" in args or not (sys.stdin.isatty() and sys.stdout.isatty())
    home = Path(os.environ.get("IOTATUI_DEMO_HOME", "demo-workspace")).absolute()
    ws = Workspace(home)
    try:
        print(f"demo workspace: {home}")
        if not (home / "models" / "tiny" / "config.json").exists():
            print(f"building a tiny model + tokenizer in {home / 'models' / 'tiny'} …")
        graph = pipeline.queue(ws, "smoke", problems="bundled")  # builds the tiny model when it is missing
        for n in graph.nodes:
            print(f"queued {n.name:10} {n.run_id}")
        for s in graph.skipped:
            print(f"skipped {s}")
        if not headless:
            from iotatui.app import make_app  # Textual loads only for the app

            make_app(ws).run()
            print(f"runs keep going; reopen with: iotatui --home {home}")
            return 0
        pipeline.wait(ws, graph)
        result = pipeline.summary(ws, graph)
        print(pipeline.render(result))
        return 1 if result["pipeline"]["failed"] else 0
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main())
