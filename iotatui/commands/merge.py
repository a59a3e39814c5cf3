"""``iotatui model merge RUN OUT``: a LoRA run's adapter merged into its base, saved as a plain model directory
(what vLLM and users load). Wired by ``register(model_app)`` (the lead calls it on ``iotatui.commands.model.app``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iotatui.commands import fail, open_workspace


def merge_cmd(
    ctx: typer.Context,
    run: Annotated[str, typer.Argument(help="A finished LoRA training run (dpo, orpo, or sft with lora_r > 0).")],
    out: Annotated[Path, typer.Argument(help="Output directory (must not exist, or be empty).")],
) -> None:
    """Merge a LoRA run's adapter into its base model and save it (with the tokenizer) at OUT."""
    from iotatui.refs import find_artifact
    from iotatui.store import FINISHED, StoreError

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise fail(f"{out}: exists and is not an empty directory")
    ws = open_workspace(ctx, create=False)
    try:
        row = ws.store.resolve_run(run)
        art = find_artifact(ws.store, row, "model") if row["status"] == FINISHED else None
    except StoreError as e:
        raise fail(str(e)) from None
    finally:
        ws.close()
    if row["status"] != FINISHED:
        raise fail(f"run {row['id']} is {row['status']}; only a finished run has a model to merge")
    if art is None or not Path(art["path"]).exists():
        raise fail(f"run {row['id']}: no model artifact on disk")
    if not (Path(art["path"]) / "adapter_config.json").exists():
        raise fail(f"run {row['id']}: its model is a full model, not a LoRA adapter (use {art['path']} as is)")
    from backends._hf import merge_adapter  # torch + peft: seconds, only now

    out.rmdir() if out.exists() else None
    merge_adapter(art["path"], out)
    typer.echo(f"wrote {out}: {row['id']}'s adapter merged into {(art.get('meta') or {}).get('base_model', 'its base')}")


def register(model_app: typer.Typer) -> None:
    """Add ``merge`` to the ``iotatui model`` group."""
    model_app.command("merge")(merge_cmd)
