"""``make demo``: the learn pipeline (:mod:`iotatui.pipeline`, ``--preset learn``: the generated curriculum, a
model trained from scratch, every stage of the paper) and then the app to watch it learn.

    python -m iotatui.demo [--headless] [--preset learn|smoke] [--sandbox docker|bwrap]

Builds the preset's model into ``./demo-workspace`` (``IOTATUI_DEMO_HOME``) if missing, makes the judge's sandbox ready
(the Docker image is built once, before any run is queued; with no sandbox: one line saying what is missing and how
to fix it, exit 2, nothing queued), queues data, SFT, DPO/ORPO/RM, PPO (the RM's reward) and GRPO (the judge's), and
an eval of every model on the held-out test problems, then opens the app. ``--preset smoke`` is the minutes-long
plumbing check on the bundled problems (every eval reads 0: the tiny model learns nothing in 30 steps). Without a
terminal (CI, a pipe) or with ``--headless`` it waits for the graph and prints the report instead; the exit status
is 1 when a run did not finish.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from iotatui import pipeline
    from iotatui.stages import ConfigError
    from iotatui.workspace import Workspace
    from judge.preflight import SandboxError

    args = list(sys.argv[1:] if argv is None else argv)
    opts: dict[str, str | None] = {"--sandbox": None, "--preset": None}
    for name in opts:
        if name in args:
            i = args.index(name)
            opts[name] = args[i + 1] if i + 1 < len(args) else ""
            del args[i:i + 2]
    sandbox, preset = opts["--sandbox"], opts["--preset"] or "learn"
    unknown = [a for a in args if a != "--headless"]
    if unknown or "" in opts.values() or preset not in ("learn", "smoke"):
        bad = unknown[0] if unknown else next((k for k, v in opts.items() if v == ""), preset)
        print(f"error: bad argument {bad!r} (usage: python -m iotatui.demo [--headless] [--preset learn|smoke] "
              "[--sandbox docker|bwrap])", file=sys.stderr)
        return 2
    headless = "--headless" in args or not (sys.stdin.isatty() and sys.stdout.isatty())
    home = Path(os.environ.get("IOTATUI_DEMO_HOME", "demo-workspace")).absolute()
    ws = Workspace(home)
    try:
        print(f"demo workspace: {home}")
        model = pipeline.DEFAULT_MODEL[preset]
        if not (home / "models" / model / "config.json").exists():
            print(f"building the {model} model + tokenizer in {home / 'models' / model} …")
        try:  # builds the preset's model when it is missing, and the judge image
            graph = pipeline.queue(ws, preset, sandbox=sandbox)
        except (ConfigError, SandboxError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
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
