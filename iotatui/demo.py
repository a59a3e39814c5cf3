"""``make demo``: a demo workspace with a few real runs, then the app on them.

Runs the built-in ``count`` stage (several curves, a queued chain, a failure) and, where the data stages are
installed, builds the SFT and preference datasets from the bundled problem set as tracked runs. Without a terminal
(CI, a pipe) it waits for the runs and prints the table instead of opening the app.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    from iotatui import supervisor
    from iotatui.stages import available_stages
    from iotatui.store import ACTIVE, QUEUED

    home = Path(os.environ.get("IOTATUI_DEMO_HOME", "demo-workspace")).absolute()
    ws = supervisor.Workspace(home)
    print(f"demo workspace: {home}")
    # Long enough to watch live (a few minutes), short enough to see the queued chain start after the first.
    a = supervisor.launch(ws, "count", sets=["steps=1000", "interval=0.2", "seed=1", "lr=0.01", "metrics_per_step=8"])
    supervisor.launch(ws, "count", sets=["steps=600", "interval=0.3", "seed=2", "lr=0.005", "metrics_per_step=8"])
    b = supervisor.launch(ws, "count", sets=["steps=60", "interval=0.05", "seed=3"], after=[a], parent=a)
    supervisor.launch(ws, "count", sets=["steps=40", "interval=0.05", "fail_at=25"])
    supervisor.launch(ws, "count", sets=["steps=20", "interval=0.05"], after=[b])
    stages = available_stages()
    (home / "datasets").mkdir(exist_ok=True)
    if "data_pairs" in stages:
        supervisor.launch(ws, "data_pairs", sets=[f"out={home / 'datasets' / 'pairs'}", "overwrite=true"])
    if "data_sft" in stages:
        tiny = home / "models" / "tiny"
        if not (tiny / "config.json").exists():
            from iotatui.data.models import make_tiny  # torch loads here, only for the demo's tiny model

            print(f"building a tiny model + tokenizer in {tiny} …")
            tiny.parent.mkdir(parents=True, exist_ok=True)
            make_tiny(tiny)
        supervisor.launch(ws, "data_sft", sets=[f"tokenizer={tiny}", f"out={home / 'datasets' / 'sft'}",
                                                "overwrite=true"])
    if sys.stdin.isatty() and sys.stdout.isatty():
        from iotatui.app import make_app

        make_app(ws).run()
        print("runs keep going; reopen with: iotatui --home", home)
        return
    deadline = time.time() + 600
    while time.time() < deadline:
        supervisor.reconcile(ws)
        if not ws.store.list_runs((QUEUED, *ACTIVE)):
            break
        time.sleep(1)
    for r in ws.store.list_runs():
        print(f"{r['id']:32} {r['stage']:10} {r['status']:9} step={r['last_step']} {r['error'] or ''}".rstrip()[:160])


if __name__ == "__main__":
    main()
