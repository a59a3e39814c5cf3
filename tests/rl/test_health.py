"""The RL health checks on synthetic metric series: each flag fires on its failure shape and stays quiet on a
healthy run. Pure (no torch)."""

from __future__ import annotations

import math
from typing import Any

from backends._health import FLAGS, Health, HealthConfig


def feed(series: list[dict[str, Any]], cfg: HealthConfig | None = None) -> list[set[str]]:
    """The set of flags raised at each update."""
    h = Health(cfg)
    out = []
    for m in series:
        lines = h.check(m)
        out.append({line.split(":", 1)[0] for line in lines})
        assert out[-1] == h.active
    return out


def healthy(n: int = 20) -> list[dict[str, Any]]:
    """Reward rising slowly, std healthy, length steady, KL small and wobbling, entropy fine, compile rate steady."""
    return [{"train/reward": 0.2 + 0.01 * i, "train/reward_std": 0.3, "train/kl": 0.05 + 0.01 * (i % 2),
             "completions/mean_length": 200 + (i % 3), "train/entropy": 1.5, "judge/compile_rate": 0.8,
             "train/loss": 0.1} for i in range(n)]


def test_a_healthy_run_raises_nothing() -> None:
    assert all(not f for f in feed(healthy()))


def test_nan_in_any_value() -> None:
    s = healthy(4)
    s[2] = {**s[2], "train/loss": math.nan}
    flags = feed(s)
    assert flags == [set(), set(), {"nan"}, set()]


def test_kl_above_the_threshold() -> None:
    s = healthy(5)
    s[3] = {**s[3], "train/kl": 12.0}
    assert feed(s, HealthConfig(health_kl_max=10.0))[3] == {"kl_runaway"}


def test_kl_rising_n_updates_in_a_row() -> None:
    s = [{"kl": 0.01 * (i + 1)} for i in range(6)]  # rises at updates 2..6: 5 rises by the last one
    flags = feed(s, HealthConfig(health_kl_rising=5))
    assert flags[:5] == [set()] * 5 and flags[5] == {"kl_runaway"}
    s.append({"kl": 0.001})  # it fell: the streak ends
    assert feed(s, HealthConfig(health_kl_rising=5))[6] == set()


def test_reward_collapse_needs_patience_updates_of_zero_std() -> None:
    s = healthy(3) + [{"reward": 0.5, "reward_std": 0.0}] * 4
    flags = feed(s, HealthConfig(health_patience=3))
    assert flags[:5] == [set()] * 5  # two flat updates: not yet
    assert flags[5] == {"reward_collapse"} and flags[6] == {"reward_collapse"}
    s.append({"reward": 0.5, "reward_std": 0.2})
    assert feed(s, HealthConfig(health_patience=3))[-1] == set()


def test_reward_hacking_length_explodes_while_reward_rises() -> None:
    base = [{"reward": 0.2, "completions/mean_length": 100.0}] * 3
    s = base + [{"reward": 0.5, "completions/mean_length": 150.0},  # longer, but under 2x
                {"reward": 0.6, "completions/mean_length": 250.0},  # 2.5x with reward up: hacking
                {"reward": 0.1, "completions/mean_length": 300.0}]  # reward fell: just long, not the hack shape
    flags = feed(s, HealthConfig(health_baseline=3, health_length_factor=2.0))
    assert flags == [set(), set(), set(), set(), {"reward_hacking_length"}, set()]


def test_reward_hacking_compile_rate_falls_while_reward_rises() -> None:
    base = [{"objective/rlhf_reward": 1.0, "judge/compile_rate": 0.9}] * 3
    s = base + [{"objective/rlhf_reward": 2.0, "judge/compile_rate": 0.8},  # a small dip: fine
                {"objective/rlhf_reward": 2.5, "judge/compile_rate": 0.5}]  # 0.4 below with reward up
    flags = feed(s, HealthConfig(health_baseline=3, health_compile_drop=0.2))
    assert flags[-2] == set() and flags[-1] == {"reward_hacking_compile"}


def test_entropy_collapse() -> None:
    s = [{"entropy": 1.0}] * 2 + [{"objective/entropy": 0.01}] * 3
    flags = feed(s, HealthConfig(health_entropy_min=0.05, health_patience=3))
    assert flags == [set(), set(), set(), set(), {"entropy_collapse"}]


def test_config_of_reads_a_stage_config_and_observe_logs_once_and_records_metrics() -> None:
    from backends.grpo import Config

    cfg = Config(health_kl_max=1.0)
    assert HealthConfig.of(cfg).health_kl_max == 1.0 and HealthConfig.of(object()) == HealthConfig()

    class Sink:
        def __init__(self) -> None:
            self.lines: list[tuple[str, str]] = []
            self.points: list[tuple[int, dict[str, float]]] = []

        def log(self, text: str, level: str = "info") -> None:
            self.lines.append((level, text))

        def metrics(self, step: int, values: dict[str, float]) -> None:
            self.points.append((step, values))

    sink, h = Sink(), Health(HealthConfig.of(cfg))
    for step, kl in enumerate([0.1, 2.0, 3.0, 0.2], start=1):
        h.observe(step, {"train/kl": kl}, sink)
    assert [lv for lv, _ in sink.lines] == ["warning"]  # once at onset, not on every step it holds
    assert sink.lines[0][1].startswith("health: kl_runaway: KL 2 > 1 (step 2)")
    assert sink.points == [(2, {"health/kl_runaway": 1.0}), (3, {"health/kl_runaway": 1.0})]
    assert h.seen == {"kl_runaway": 2} and set(h.seen) <= set(FLAGS)


def dpo(n: int = 10, margin_step: float = 0.2, logp_step: float = -1.0) -> list[dict[str, Any]]:
    """DPO's own keys: the margin and the policy's mean log-prob of the chosen answers, per logged step."""
    return [{"train/rewards/margins": 0.1 + margin_step * i, "train/logps/chosen": -120.0 + logp_step * i,
             "train/loss": 0.69 - 0.01 * i} for i in range(n)]


def test_preference_displacement_margin_up_while_chosen_likelihood_falls() -> None:
    assert all(not f for f in feed(dpo(logp_step=-1.0)))  # the chosen answers' log-prob drifts a little: healthy
    flags = feed(dpo(logp_step=-8.0))  # margin grows by pushing the chosen answers down too
    # baseline = the first 3 updates (mean -128); flagged once the log-prob is 20 nats below it: -152 at update 5
    assert flags[:4] == [set()] * 4 and all(f == {"preference_displacement"} for f in flags[4:])
    falling_margin = [{**m, "train/rewards/margins": 1.0 - 0.1 * i} for i, m in enumerate(dpo(logp_step=-8.0))]
    assert all(not f for f in feed(falling_margin))  # both falling: not this flag (the loss would show it)
    assert not any(feed(dpo(logp_step=-8.0), HealthConfig(health_logp_drop=100.0)))


def test_dpo_and_orpo_carry_the_health_thresholds() -> None:
    from backends.dpo import Config as DPOConfig
    from backends.orpo import Config as ORPOConfig
    from iotatui.stages import resolve_config

    assert HealthConfig.of(DPOConfig(health_logp_drop=5.0)).health_logp_drop == 5.0
    assert resolve_config("orpo", sets=["health_logp_drop=7"], check=False)["health_logp_drop"] == 7.0
    assert ORPOConfig().beta == 0.1 and DPOConfig().beta == 1.0  # ORPO still its own defaults on DPO's settings
