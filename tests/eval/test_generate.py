"""The sampling engines' fallback: where vLLM refuses to start, transformers generate takes over and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.torch, pytest.mark.slow]


def test_auto_falls_back_to_transformers_and_says_why(tiny_model: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from backends._generate import Sampling, make_engine

    monkeypatch.setenv("HOME", str(tmp_path))  # auto's calibration cache (~/.cache/iotatui/engines.json)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    logs: list[tuple[str, str]] = []
    # A context longer than the model's positions: vLLM refuses it while checking its config (no engine starts).
    # On CPU auto calibrates vLLM only when asked (calibrate_vllm), then picks the measured faster of the others.
    engine, reason = make_engine("auto", str(tiny_model), max_model_len=10 ** 6, log=lambda t, lvl="info": logs.append((t, lvl)),
                                 calibrate_vllm=True)
    assert engine.name in ("hf", "lean") and reason
    warn = [t for t, lvl in logs if lvl == "warning"]
    assert warn and "vLLM cannot run here" in warn[0] and reason in warn[0]
    assert any(t.startswith("engine auto:") and "vllm failed to start" in t for t, _ in logs)
    engine = make_engine("hf", str(tiny_model))[0]
    out = engine.generate(["def f():\n", "print("], Sampling(n=3, max_new_tokens=8), [1, 2])
    assert [len(o) for o in out] == [3, 3]
    assert all(0 < c.tokens <= 8 and c.finish in ("stop", "length") for o in out for c in o)
    assert engine.tokens == sum(c.tokens for o in out for c in o) and engine.gen_s > 0
    with pytest.raises(Exception):  # noqa: B017 - 'vllm' means no fallback: vLLM's own error surfaces
        make_engine("vllm", str(tiny_model), max_model_len=10 ** 6)
    with pytest.raises(ValueError, match="engine: unknown value"):
        make_engine("tgi", str(tiny_model))
    from backends import _generate

    monkeypatch.setattr(_generate, "cuda_available", lambda: True)  # auto on GPU: vLLM, else transformers
    monkeypatch.setattr(_generate, "HFEngine", lambda *a, **k: "hf-engine")
    logs.clear()
    engine, reason = make_engine("auto", str(tiny_model), max_model_len=10 ** 6, log=lambda t, lvl: logs.append((t, lvl)))
    assert engine == "hf-engine" and reason
    assert logs and logs[0][1] == "warning" and "falling back to transformers" in logs[0][0] and reason in logs[0][0]
