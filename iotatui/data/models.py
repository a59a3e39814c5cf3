"""Models without a hub: a tiny random Llama for demos/tests, the DeepSeek-Coder-1.3B shape, and a resolver.

- :func:`make_tiny`: 2 layers, hidden 128, 2 heads of head_dim 64 (vLLM-CPU supports head sizes >= 32), a byte-level
  BPE tokenizer trained on the bundled corpus (statements + solutions) with a pad token distinct from EOS; saved with
  ``save_pretrained``; loads with ``AutoModelForCausalLM``/``AutoTokenizer``, TRL trainers and vLLM.
- :data:`NAMED_MODELS` / :func:`make_named`: the models a ``model=<name>`` config value means (``tiny``: the above;
  ``learn``: the ``learn`` preset's, sized and tokenised for the curriculum), built into the workspace on first use.
- :func:`make_shape`: random bf16 weights with the exact ``deepseek-ai/deepseek-coder-1.3b-base`` config
  (training.md §4) for throughput benchmarks; 1,346,471,936 parameters (2.7 GB on disk).
- :func:`resolve_model`: a local HF model directory, or a hub id (offline: a clear one-line error).

torch/transformers/tokenizers are imported inside the functions (CLI start-up must stay fast).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iotatui.data._io import atomic_dir
from iotatui.data.problems import DataError, is_hub_id

SPECIAL_TOKENS: tuple[str, ...] = ("<unk>", "<s>", "</s>", "<pad>")
TINY: dict[str, Any] = {"hidden_size": 128, "intermediate_size": 256, "num_hidden_layers": 2, "num_attention_heads": 2,
        "num_key_value_heads": 2, "head_dim": 64, "max_position_embeddings": 2048}
SMALL: dict[str, Any] = {**TINY, "hidden_size": 512, "intermediate_size": 1408, "num_hidden_layers": 8,
                         "num_attention_heads": 8, "num_key_value_heads": 8}
"""~30M parameters: big enough that generation is compute, not per-step overhead (``bench generate``'s default)."""
LEARN: dict[str, Any] = {**TINY}
"""The shape of the ``learn`` preset's model (sized by measurement: ``iotatui bench learn``)."""
DEEPSEEK_CODER_1_3B: dict[str, Any] = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "attention_bias": False, "attention_dropout": 0.0,
    "bos_token_id": 32013, "eos_token_id": 32014, "hidden_act": "silu", "hidden_size": 2048,
    "initializer_range": 0.02, "intermediate_size": 5504, "max_position_embeddings": 16384,
    "num_attention_heads": 16, "num_hidden_layers": 24, "num_key_value_heads": 16, "pretraining_tp": 1,
    "rms_norm_eps": 1e-06, "rope_scaling": {"factor": 4.0, "type": "linear"}, "rope_theta": 100000,
    "tie_word_embeddings": False, "torch_dtype": "bfloat16", "use_cache": True, "vocab_size": 32256,
}
"""config.json of deepseek-ai/deepseek-coder-1.3b-base (training.md §4)."""
SHAPES: dict[str, dict[str, Any]] = {"deepseek-coder-1.3b": DEEPSEEK_CODER_1_3B}
DEEPSEEK_CODER_1_3B_PARAMS = 1_346_471_936


def bundled_corpus() -> Iterator[str]:
    """Statements and solutions of the bundled problems; falls back to iotatui's own Python sources."""
    from iotatui.data.problems import BUNDLED_PATH, load_problems

    if BUNDLED_PATH.exists():
        try:
            problems = load_problems("bundled")
        except DataError:
            problems = []
        if problems:
            from iotatui.data.prompt import render_prompt

            for p in problems:
                yield render_prompt(p, "python3")
                yield from p.solutions.solution
                yield from p.incorrect_solutions.solution
            return
    # No bundled set yet: our own source code is code-like text with prose in docstrings; good enough for a
    # tokenizer whose only job is to make a random model loadable and fast.
    for f in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        yield f.read_text(encoding="utf-8", errors="replace")


def train_tokenizer(corpus: Iterable[str], vocab_size: int = 2048, model_max_length: int = 2048,
                    split_digits: bool = False) -> Any:
    """A byte-level BPE ``PreTrainedTokenizerFast`` (any byte sequence encodes; GPT-2 pre-tokenisation; BOS added).
    ``split_digits``: every digit its own token (as Llama's and DeepSeek-Coder's tokenizers do), so a number the
    model never saw is still made of tokens it knows."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.pre_tokenizer = (pre_tokenizers.Sequence([pre_tokenizers.Digits(individual_digits=True), byte_level])
                         if split_digits else byte_level)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS),
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus, trainer)
    # Prepend BOS like Llama/DeepSeek-Coder tokenizers do (add_bos_token=true), so code paths match the real model.
    bos = tok.token_to_id("<s>")
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A <s> $B",
                                                       special_tokens=[("<s>", bos)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   pad_token="<pad>", model_max_length=model_max_length)


def make_tiny(out: str | Path, corpus: Iterable[str] | None = None, *, vocab_size: int = 2048, seed: int = 0,
              dtype: str = "float32", overwrite: bool = False, sizes: dict[str, Any] | None = None,
              split_digits: bool = False) -> Path:
    """Write a tiny random Llama + tokenizer to ``out`` (temp dir, renamed at the end); returns ``out``. ``sizes``:
    the Llama dimensions (default ``TINY``; ``SMALL`` for throughput)."""
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    if dtype not in ("float32", "bfloat16", "float16"):
        raise DataError(f"dtype: unknown value {dtype!r} (expected float32, bfloat16 or float16)")
    with atomic_dir(out, overwrite) as tmp:
        dims = TINY if sizes is None else sizes
        tok = train_tokenizer(bundled_corpus() if corpus is None else corpus, vocab_size=vocab_size,
                              model_max_length=dims["max_position_embeddings"], split_digits=split_digits)
        # The BPE trainer stops early on a small corpus: size the embedding by what it produced.
        cfg = LlamaConfig(vocab_size=len(tok), **dims, rms_norm_eps=1e-6, tie_word_embeddings=False,
                          rope_parameters={"rope_type": "default", "rope_theta": 10000.0},
                          bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
        torch.manual_seed(seed)
        model = LlamaForCausalLM(cfg).to(getattr(torch, dtype))
        model.generation_config = GenerationConfig(bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                                                   pad_token_id=tok.pad_token_id)
        model.save_pretrained(tmp)
        tok.save_pretrained(tmp)
    return Path(out)


@dataclass(frozen=True)
class NamedModel:
    """A model a config value names (``model=tiny``): how to build it offline."""

    sizes: dict[str, Any]
    corpus: str
    """What its tokenizer is trained on: ``bundled`` or ``curriculum``."""
    vocab_size: int
    split_digits: bool
    help: str


NAMED_MODELS: dict[str, NamedModel] = {
    "tiny": NamedModel(TINY, "bundled", 2048, False, "2 layers x 128, BPE on the bundled problems (smoke runs)"),
    "learn": NamedModel(LEARN, "curriculum", 1024, False,
                        "the learn preset's model: sized to learn the curriculum in minutes on 2 cores"),
}
"""Model names a ``model=`` value may use; each is built into ``<workspace>/models/<name>`` on first use."""


def corpus(name: str) -> Iterator[str]:
    """The texts a named corpus holds (tokenizer training)."""
    if name == "curriculum":
        from iotatui.data.curriculum import corpus as curriculum_corpus

        yield from curriculum_corpus()
    elif name == "bundled":
        yield from bundled_corpus()
    else:
        raise DataError(f"corpus: unknown value {name!r} (expected bundled or curriculum)")


def make_named(name: str, out: str | Path, *, seed: int = 0, overwrite: bool = False,
               sizes: dict[str, Any] | None = None, vocab_size: int | None = None) -> Path:
    """Build the named model (:data:`NAMED_MODELS`) at ``out``; ``sizes``/``vocab_size`` override its defaults."""
    if name not in NAMED_MODELS:
        raise DataError(f"model {name!r}: unknown name (known: {', '.join(NAMED_MODELS)})")
    spec = NAMED_MODELS[name]
    return make_tiny(out, corpus(spec.corpus), vocab_size=vocab_size or spec.vocab_size, seed=seed,
                     overwrite=overwrite, sizes={**spec.sizes, **(sizes or {})}, split_digits=spec.split_digits)


def shape_config(name: str) -> Any:
    """The transformers ``LlamaConfig`` of a named shape (``deepseek-coder-1.3b``)."""
    from transformers import LlamaConfig

    if name not in SHAPES:
        raise DataError(f"shape: unknown value {name!r} (known: {', '.join(SHAPES)})")
    cfg = dict(SHAPES[name])
    cfg.pop("architectures", None)
    cfg.pop("model_type", None)
    return LlamaConfig(**cfg)


def count_params(name: str) -> int:
    """Parameter count of a named shape, built on the meta device (no memory, no weights)."""
    import torch
    from transformers import LlamaForCausalLM

    with torch.device("meta"):
        model = LlamaForCausalLM(shape_config(name))
    return sum(p.numel() for p in model.parameters())


def make_shape(name: str, out: str | Path, *, seed: int = 0, overwrite: bool = False) -> Path:
    """Random bf16 weights with the exact config of ``name``, saved to ``out`` (2.7 GB for deepseek-coder-1.3b).

    No tokenizer is written (it is not ours to reproduce); throughput benchmarks feed token ids directly.
    """
    import torch
    from transformers import LlamaForCausalLM

    cfg = shape_config(name)
    with atomic_dir(out, overwrite) as tmp:
        torch.manual_seed(seed)
        prev = torch.get_default_dtype()
        torch.set_default_dtype(torch.bfloat16)  # build in bf16 directly: fp32 first would need 5.4 GB
        try:
            model = LlamaForCausalLM(cfg)
        finally:
            torch.set_default_dtype(prev)
        model.save_pretrained(tmp)
    return Path(out)


def check_model(spec: str) -> bool:
    """Cheap check of a model/tokenizer spec (no network; also run at ``iotatui launch``): True for a usable local
    directory, False for a hub id (fetched later); DataError for anything else."""
    p = Path(spec).expanduser()
    if p.is_dir():
        if not any((p / f).exists() for f in ("config.json", "tokenizer.json", "tokenizer_config.json")):
            raise DataError(f"model {spec}: directory has no config.json or tokenizer files")
        return True
    if p.exists():
        raise DataError(f"model {spec}: is a file, expected a model directory")
    if not is_hub_id(spec):
        raise DataError(f"model {spec}: no such directory (nor a hub id like owner/name)")
    return False


def resolve_model(spec: str) -> str:
    """A local directory with config.json or tokenizer files → its path; a hub id → a local snapshot path.

    Hub ids try the local HF cache first, then the network; failure is one DataError line.
    """
    if check_model(spec):
        return str(Path(spec).expanduser())
    from huggingface_hub import snapshot_download

    from iotatui.data.problems import hub_reachable

    try:
        return snapshot_download(spec, local_files_only=True)
    except Exception as e:  # not cached: try the network below
        if not hub_reachable():
            raise DataError(f"model {spec}: not a local directory, not in the Hugging Face cache, and the hub "
                            "is unreachable (offline?)") from e
    try:
        return snapshot_download(spec, allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt", "*.py"])
    except Exception as e:  # offline, unknown repo, gated: all one line
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise DataError(f"model {spec}: not a local directory and not downloadable "
                        f"({type(e).__name__}: {first}); needs network or a local Hugging Face cache") from e
