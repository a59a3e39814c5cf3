"""Health checks for RL and preference runs (grpo, ppo, dpo, ...): fed each logged metrics dict, they flag the
failure modes that waste a run long before its final number does. Stdlib only.

Flags (each one line in the run's log, level warning, prefixed ``health:``, and a metric ``health/<flag>`` = 1 on
every logged step it holds, so the store has it and the app can show it):

* ``nan``: a logged value is NaN/inf;
* ``kl_runaway``: KL to the reference above ``health_kl_max``, or rising ``health_kl_rising`` updates in a row;
* ``reward_collapse``: the per-group/batch reward std ~0 (``health_std_eps``) for ``health_patience`` updates: no
  gradient signal left (every sample scored the same);
* ``reward_hacking_length``: reward above its baseline while the response length grew ``health_length_factor`` x;
* ``reward_hacking_compile``: reward above its baseline while the compile rate fell ``health_compile_drop`` below
  its baseline (the classic learned-RM hack: scores rise, programs stop compiling);
* ``entropy_collapse``: policy entropy below ``health_entropy_min`` for ``health_patience`` updates;
* ``preference_displacement`` (DPO/ORPO): the reward margin above its baseline while the policy's mean log-prob of
  the CHOSEN answers fell ``health_logp_drop`` nats below its baseline -- the margin grows by pushing both answers
  down (likelihood displacement), so the model gets worse at what it was shown as good.

Baselines are the means of the first ``health_baseline`` updates. Key names are the trainers' own (TRL GRPO's
``reward``/``kl``/``entropy``/``completions/mean_length``, TRL-PPO's ``objective/*``), with or without the events
callback's ``train/`` prefix, so the same checker reads our PPO and TRL's GRPO.

Use: ``monitor = Health(HealthConfig.of(cfg)); flags = monitor.check(metrics)`` (pure; tests use this), or
``monitor.observe(step, metrics, run)`` to log and record them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

KL_KEYS = ("kl", "objective/kl", "policy/kl", "ppo/kl")
REWARD_KEYS = ("reward", "objective/rlhf_reward", "objective/scores", "reward/mean")
REWARD_STD_KEYS = ("reward_std", "objective/scores_std", "reward/std")
LENGTH_KEYS = ("completions/mean_length", "response_length", "val/response_length", "ppo/response_length")
COMPILE_KEYS = ("judge/compile_rate", "compile_rate")
ENTROPY_KEYS = ("entropy", "objective/entropy", "ppo/entropy")
MARGIN_KEYS = ("rewards/margins",)
CHOSEN_LOGP_KEYS = ("logps/chosen",)
FLAGS = ("nan", "kl_runaway", "reward_collapse", "reward_hacking_length", "reward_hacking_compile", "entropy_collapse",
         "preference_displacement")


@dataclass
class HealthConfig:
    """The thresholds. A stage's Config inherits these fields (``class Config(HealthConfig)``), so they are
    settable with ``--set health_kl_max=...`` like any other key."""

    health: bool = field(default=True, metadata={"help": "Run the health checks (warnings + health/* metrics)."})
    health_kl_max: float = field(default=10.0, metadata={"help": "Flag KL to the reference above this.", "min": 0})
    health_kl_rising: int = field(default=8, metadata={
        "help": "Flag KL rising this many logged updates in a row (0: off).", "min": 0})
    health_std_eps: float = field(default=1e-6, metadata={"help": "Reward std at or below this counts as ~0.",
                                                          "min": 0})
    health_patience: int = field(default=5, metadata={
        "help": "Logged updates a collapse (reward std, entropy) must last before it is flagged.", "min": 1})
    health_baseline: int = field(default=3, metadata={
        "help": "Logged updates averaged as the baseline of reward, length and compile rate.", "min": 1})
    health_length_factor: float = field(default=2.0, metadata={
        "help": "Flag response length above this x its baseline while reward is above its baseline.", "min": 1})
    health_compile_drop: float = field(default=0.2, metadata={
        "help": "Flag compile rate this far below its baseline while reward is above its baseline.", "min": 0,
        "max": 1})
    health_entropy_min: float = field(default=0.05, metadata={"help": "Flag entropy below this.", "min": 0})
    health_logp_drop: float = field(default=20.0, metadata={
        "help": "DPO/ORPO: flag the chosen answers' mean log-prob this many nats below its baseline while the "
                "reward margin is above its baseline (likelihood displacement).", "min": 0})

    @classmethod
    def of(cls, cfg: Any) -> HealthConfig:
        """The thresholds carried by any config object (its ``health*`` attributes; defaults for missing ones)."""
        return cls(**{f.name: getattr(cfg, f.name) for f in fields(cls) if hasattr(cfg, f.name)})


def _pick(metrics: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    for k in keys:
        for name in (k, "train/" + k):
            v = metrics.get(name)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                return float(v)
    return None


class Health:
    """Stateful checker: one per run, fed every logged metrics dict in order."""

    def __init__(self, cfg: HealthConfig | None = None) -> None:
        self.cfg = cfg or HealthConfig()
        self.updates = 0
        self._base: dict[str, list[float]] = {"reward": [], "length": [], "compile": [], "margin": [], "logp": []}
        self._kl_prev: float | None = None
        self._kl_rises = 0
        self._flat_std = 0
        self._low_entropy = 0
        self.active: set[str] = set()
        """Flags raised by the latest ``check``."""
        self.seen: dict[str, int] = {}
        """How many logged updates each flag held (the run's summary)."""

    def _baseline(self, name: str, value: float | None) -> float | None:
        """Collect the first ``health_baseline`` values; then return their mean (None while collecting)."""
        if value is None or not math.isfinite(value):
            return None
        vals = self._base[name]
        if len(vals) < self.cfg.health_baseline:
            vals.append(value)
            return None
        return sum(vals) / len(vals)

    def check(self, metrics: dict[str, Any]) -> list[str]:
        """The flags ``metrics`` (one logged update) raises, each ``"<flag>: why"``. Pure apart from the history."""
        c = self.cfg
        self.updates += 1
        out: list[str] = []
        bad = sorted(k for k, v in metrics.items()
                     if isinstance(v, float) and not math.isfinite(v) and not k.startswith("health/"))
        if bad:
            out.append(f"nan: non-finite {', '.join(bad[:4])}")
        kl = _pick(metrics, KL_KEYS)
        if kl is not None and math.isfinite(kl):
            rising = self._kl_prev is not None and kl > self._kl_prev and kl > 1e-6
            self._kl_rises = self._kl_rises + 1 if rising else 0
            self._kl_prev = kl
            if kl > c.health_kl_max:
                out.append(f"kl_runaway: KL {kl:.3g} > {c.health_kl_max:g}")
            elif c.health_kl_rising and self._kl_rises >= c.health_kl_rising:
                out.append(f"kl_runaway: KL rose {self._kl_rises} updates in a row (now {kl:.3g})")
        std = _pick(metrics, REWARD_STD_KEYS)
        if std is not None and math.isfinite(std):
            self._flat_std = self._flat_std + 1 if std <= c.health_std_eps else 0
            if self._flat_std >= c.health_patience:
                out.append(f"reward_collapse: reward std ~0 for {self._flat_std} updates (no learning signal)")
        reward = _pick(metrics, REWARD_KEYS)
        r_base = self._baseline("reward", reward)
        reward_up = r_base is not None and reward is not None and reward > r_base
        length = _pick(metrics, LENGTH_KEYS)
        l_base = self._baseline("length", length)
        if reward_up and length is not None and l_base and length > c.health_length_factor * l_base:
            out.append(f"reward_hacking_length: reward {reward:.3g} > baseline {r_base:.3g} while response length "
                       f"{length:.0f} > {c.health_length_factor:g} x baseline {l_base:.0f}")
        comp = _pick(metrics, COMPILE_KEYS)
        c_base = self._baseline("compile", comp)
        if reward_up and comp is not None and c_base is not None and comp < c_base - c.health_compile_drop:
            out.append(f"reward_hacking_compile: reward {reward:.3g} > baseline {r_base:.3g} while compile rate "
                       f"{comp:.2f} fell from {c_base:.2f}")
        ent = _pick(metrics, ENTROPY_KEYS)
        if ent is not None and math.isfinite(ent):
            self._low_entropy = self._low_entropy + 1 if ent < c.health_entropy_min else 0
            if self._low_entropy >= c.health_patience:
                out.append(f"entropy_collapse: entropy {ent:.3g} < {c.health_entropy_min:g} for "
                           f"{self._low_entropy} updates")
        margin = _pick(metrics, MARGIN_KEYS)
        m_base = self._baseline("margin", margin)
        logp = _pick(metrics, CHOSEN_LOGP_KEYS)
        lp_base = self._baseline("logp", logp)
        if (m_base is not None and margin is not None and margin > m_base and logp is not None
                and lp_base is not None and logp < lp_base - c.health_logp_drop):
            out.append(f"preference_displacement: margin {margin:.3g} > baseline {m_base:.3g} while the chosen "
                       f"answers' log-prob {logp:.1f} fell {lp_base - logp:.1f} nats below its baseline")
        self.active = {m.split(":", 1)[0] for m in out}
        for f in self.active:
            self.seen[f] = self.seen.get(f, 0) + 1
        return out

    def observe(self, step: int, metrics: dict[str, Any], run: Any) -> list[str]:
        """``check``, then record: a ``health:`` warning line per flag as it starts (not every step it holds, so
        the log stays readable) and ``health/<flag>`` = 1 on every step it holds. Returns the flags' lines."""
        was = set(self.active)
        lines = self.check(metrics)
        for line in lines:
            if line.split(":", 1)[0] not in was:
                run.log(f"health: {line} (step {step})", level="warning")
        if self.active:
            run.metrics(step, {f"health/{f}": 1.0 for f in sorted(self.active)})
        return lines


def check(metrics: dict[str, Any], monitor: Health | None = None) -> list[str]:
    """One-shot convenience for a loop that keeps its own :class:`Health` (pass it as ``monitor``)."""
    return (monitor or Health()).check(metrics)
