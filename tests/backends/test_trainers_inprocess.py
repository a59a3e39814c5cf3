"""Trainer-level properties checked in-process (no supervisor): what DPO's reference really is, and that a NaN loss
stops training before the optimizer applies it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.torch]


def _run(tmp_path: Path):  # type: ignore[no-untyped-def]
    from backends._runtime import RunContext

    return RunContext(tmp_path, "test", 1, None, is_main=True)


def test_dpo_reference_is_the_model_with_the_adapter_disabled(tmp_path: Path, tiny_model: Path,
                                                              toy_pairs: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    from backends._hf import load_dataset_dir
    from backends.dpo import Config, preference_trainer

    cfg = Config(model=str(tiny_model), max_steps=3, lr=5e-3, batch_size=2, grad_accum=1, warmup_steps=0,
                 max_length=128, logging_steps=1, save_steps=100, lora_r=8, beta=0.5)
    data = load_dataset_dir(str(toy_pairs)).select(range(8))
    trainer, tok, _ = preference_trainer(cfg, str(tiny_model), data, _run(tmp_path), gpu=False)
    assert trainer.ref_model is None  # no second copy in memory
    trainer.train()
    # The health checks read every logged step of a preference run too (DPO's margins and chosen log-probs).
    monitor = next(c for c in trainer.callback_handler.callbacks if hasattr(c, "monitor")).monitor
    assert monitor.updates == 3
    model = trainer.model.eval()
    base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    ids = tok(["n = int(input())\nprint(n)"], return_tensors="pt")
    with torch.no_grad():
        on = model(**ids).logits
        with model.disable_adapter():
            off = model(**ids).logits
        ref = base(**ids).logits
    assert torch.allclose(off, ref, atol=1e-5)  # adapter off == the untouched starting model
    assert not torch.allclose(on, ref, atol=1e-4)  # and the adapter did train


def test_a_nan_loss_fails_at_once_without_an_optimizer_step(tmp_path: Path, tiny_model: Path, sft_data: Path) -> None:
    import torch

    from backends._hf import NonFiniteLoss, load_dataset_dir
    from backends.sft import Config, sft_trainer

    cfg = Config(model=str(tiny_model), max_steps=5, lr=1e-3, batch_size=1, grad_accum=1, warmup_steps=0,
                 max_length=640, logging_steps=1, save_steps=100)
    trainer, _, _ = sft_trainer(cfg, str(tiny_model), load_dataset_dir(str(sft_data)).select(range(4)),
                                _run(tmp_path), gpu=False)
    with torch.no_grad():
        trainer.model.model.norm.weight[0] = float("nan")
    before = trainer.model.model.embed_tokens.weight.detach().clone()
    with pytest.raises(NonFiniteLoss, match=r"loss is nan at step 1"):
        trainer.train()
    assert trainer.state.global_step == 0
    assert torch.equal(trainer.model.model.embed_tokens.weight, before)  # nothing was trained on it
