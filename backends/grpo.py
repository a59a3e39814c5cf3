"""GRPO (TRL ``GRPOTrainer``) with a LoRA adapter and the judge's execution result as the reward::

    iotatui launch grpo --parent <sft run>                                   # reward=judge: fraction of tests passed
    iotatui launch grpo --preset smoke
    iotatui launch grpo --parent <sft run> --set reward=mix --set reward_model=<rm run>

The dataset is the problem set's ``train`` split (judgeable problems only) rendered with the eval prompt
(``render_prompt``), one row per problem, with the problem's name as an extra column so the reward knows which tests
to run. Each prompt gets ``num_generations`` completions; GRPO's advantage is the reward minus its group's mean.

Rewards (``reward``):

* ``judge``: the program extracted from the completion is judged in the sandbox; ``reward_mode=fraction`` scores
  the fraction of tests passed (all tests run: dense), ``pass`` scores 1/0. ONE ``JudgeSession`` (one pool of
  containers) serves the whole run, a ``judge_batch`` per step. An infrastructure failure (SANDBOX_ERROR) scores
  None (TRL leaves that sample out of the reward), never a pass. Also logs ``judge/compile_rate`` and
  ``judge/pass_rate``.
* ``rm``: ``reward_model`` (an ``rm`` run id or a model dir) scores prompt + completion through the one RM scorer
  (``backends._rewards.RMScorer``: BOS + prompt + completion + EOS, the ids of RM training), as a callable reward.
  (Handed a model, TRL would tokenize ``prompt + completion`` without special tokens: no BOS, no EOS, and the score
  read at another token than in training.)
* ``mix``: ``mix_weight`` x judge + (1 - ``mix_weight``) x rm.
* ``callable:module:function``: a user's function, the same signature as PPO's (:mod:`backends._rewards`):
  ``f(prompts: list[str], completions: list[str], problems: list[str]) -> list[float]`` (problem names).

Health checks (:mod:`backends._health`) read every logged update: ``health:`` warnings and ``health/*`` metrics.
The final model is the adapter (``<run dir>/model``, artifact ``model``, ``adapter: true``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backends._health import HealthConfig
from backends._hf import check_model_value

if TYPE_CHECKING:
    from backends._runtime import RunContext

SCHEDULERS = ["cosine", "linear", "constant", "constant_with_warmup", "cosine_with_restarts"]
REWARD_MODES = ["fraction", "pass"]


@dataclass
class _Settings:
    model: str = field(default="", metadata={
        "path": "if-exists", "help": "Model dir, hub id, or 'tiny' (built into the workspace); '' with --parent."})
    problems: str = field(default="bundled", metadata={
        "path": "if-exists", "help": "Problem source (bundled, a file, a dir, a hub name); its train split is used."})
    split: str = field(default="train", metadata={"help": "Split of `problems` to train on ('all': every one)."})
    limit: int = field(default=0, metadata={"help": "Use the first N problems (0: all).", "min": 0})
    language: str = field(default="python3", metadata={"help": "Language the prompt asks for.",
                                                       "choices": ["python3", "cpp"]})
    reward: str = field(default="judge", metadata={
        "help": "judge, rm, mix, or callable:module:function."})
    reward_mode: str = field(default="fraction", metadata={
        "help": "Judge reward: fraction of tests passed, or pass (1/0).", "choices": REWARD_MODES})
    reward_model: str = field(default="", metadata={"help": "rm/mix: an rm run id or a reward model dir."})
    mix_weight: float = field(default=0.5, metadata={"help": "mix: weight of the judge (rm gets 1 - it).",
                                                     "min": 0, "max": 1})
    sandbox: str = field(default="docker", metadata={"help": "Judge sandbox.", "choices": ["docker", "bwrap"]})
    workers: int = field(default=0, metadata={"help": "Judge workers (0: usable cores).", "min": 0})
    num_generations: int = field(default=8, metadata={"help": "Completions per prompt (the group).", "min": 2})
    max_completion_length: int = field(default=512, metadata={"help": "Max new tokens per completion.", "min": 1})
    max_prompt_tokens: int = field(default=1536, metadata={
        "help": "Leave out problems whose prompt is longer (tokens).", "min": 8})
    temperature: float = field(default=1.0, metadata={"help": "Sampling temperature.", "min": 0})
    beta: float = field(default=0.0, metadata={"help": "KL coefficient (0: no reference pass).", "min": 0})
    batch_size: int = field(default=8, metadata={
        "help": "Per-device batch (completions); a multiple of num_generations.", "min": 1})
    grad_accum: int = field(default=1, metadata={"help": "Gradient accumulation steps.", "min": 1})
    lr: float = field(default=1e-6, metadata={"help": "AdamW peak learning rate.", "min": 0, "max": 1})
    scheduler: str = field(default="cosine", metadata={"help": "LR schedule.", "choices": SCHEDULERS})
    warmup_steps: int = field(default=0, metadata={"help": "Linear warm-up steps.", "min": 0})
    epochs: float = field(default=1.0, metadata={"help": "Epochs (when max_steps is -1).", "min": 0})
    max_steps: int = field(default=-1, metadata={"help": "Optimizer steps (-1: run `epochs`).", "min": -1})
    logging_steps: int = field(default=1, metadata={"help": "Log metrics every N steps.", "min": 1})
    save_steps: int = field(default=100, metadata={"help": "Checkpoint every N steps.", "min": 1})
    save_total_limit: int = field(default=3, metadata={"help": "Keep the last N checkpoints (0: all).", "min": 0})
    seed: int = field(default=0, metadata={"help": "Seed (data order, sampling, LoRA init)."})
    gradient_checkpointing: bool = field(default=False, metadata={
        "help": "Recompute activations in backward (less memory, ~30% slower)."})
    lora_r: int = field(default=32, metadata={"help": "LoRA rank on all linear layers but the embeddings.", "min": 1})
    lora_alpha: int = field(default=0, metadata={"help": "LoRA alpha (0: equal to lora_r, scale 1).", "min": 0})


@dataclass
class Config(HealthConfig, _Settings):
    """The stage's settings, then the health thresholds (``health_*``; a dataclass lists a base's fields first,
    and ``_Settings`` is the last base, so its fields lead)."""

    def check(self) -> None:
        check_model_value(self.model)
        reward_kind(self.reward)
        if self.reward in ("rm", "mix") and not self.reward_model:
            raise ValueError(f"reward_model: required with reward={self.reward} (an rm run id or a model dir)")
        if self.batch_size % self.num_generations:
            raise ValueError(f"batch_size: {self.batch_size} is not a multiple of num_generations "
                             f"{self.num_generations}")


def reward_kind(value: str) -> str:
    """``judge``/``rm``/``mix``/``callable``; ValueError (one line) for anything else."""
    if value in ("judge", "rm", "mix"):
        return value
    if value.startswith("callable:") and len(value.split(":")) == 3 and all(value.split(":")[1:]):
        return "callable"
    raise ValueError(f"reward: {value!r}: expected judge, rm, mix or callable:module:function")


def load_callable(value: str) -> Any:
    """The user's function (PPO's signature, :mod:`backends._rewards`: ``f(prompts, completions, problems)``), as a
    TRL reward function: one documented signature for both RL stages."""
    from backends._rewards import load_callable as load_user_fn

    fn = load_user_fn(value)

    def reward(prompts: list[Any], completions: list[Any], completion_ids: Any = None, *, problem: list[str],
               **kwargs: Any) -> list[float | None]:
        texts = [c if isinstance(c, str) else c[-1]["content"] for c in completions]
        return list(fn(list(prompts), texts, list(problem)))

    reward.__name__ = value.rsplit(":", 1)[1]  # TRL names the metrics rewards/<name>/mean after it
    return reward


class JudgeReward:
    """TRL reward function scoring completions by running them: one session (one sandbox pool) for the run."""

    __name__ = "judge"  # TRL names the reward's metrics (rewards/judge/mean) after the function

    def __init__(self, problems: dict[str, Any], language: str, mode: str = "fraction", sandbox: str = "docker",
                 workers: int = 0, hosts: Any = None) -> None:
        self.problems, self.language, self.mode = problems, language, mode
        self.sandbox, self.workers, self.hosts = sandbox, workers, hosts
        self.session: Any = None
        self.sessions_opened = 0
        self.judged = 0
        self.calls = 0

    def _session(self) -> Any:
        if self.session is None:
            import os

            from judge.engine import make_pool
            from judge.session import JudgeSession

            n = self.workers or len(os.sched_getaffinity(0))
            pool = make_pool(self.sandbox, max(1, n), self.problems, hosts=self.hosts or None)
            # all_tests: the fraction reward needs every test's result, not fail-fast's first failure.
            self.session = JudgeSession(self.problems, pool=pool, all_tests=self.mode == "fraction")
            self.sessions_opened += 1
        return self.session

    def __call__(self, prompts: list[Any], completions: list[Any], completion_ids: Any = None, *,
                 problem: list[str], **kwargs: Any) -> list[float | None]:
        from backends._extract import extract
        from judge.verdict import COMPILE_ERROR, SANDBOX_ERROR, Solution

        self.calls += 1
        texts = [c if isinstance(c, str) else c[-1]["content"] for c in completions]
        codes = [extract(t, self.language).code for t in texts]
        todo = [i for i, code in enumerate(codes) if code.strip()]
        sols = [Solution(f"grpo-{self.calls}-{i}", problem[i], self.language, codes[i]) for i in todo]
        verdicts = self._session().judge_batch(sols) if sols else []
        self.judged += len(sols)
        out: list[float | None] = [0.0] * len(texts)  # an empty program scores 0: nothing to run
        compiled = passed = 0
        for i, v in zip(todo, verdicts, strict=True):
            if v.verdict == SANDBOX_ERROR:  # the infrastructure failed: no score, never a pass
                out[i] = None
                continue
            compiled += v.verdict != COMPILE_ERROR
            passed += v.passed
            out[i] = v.fraction_passed if self.mode == "fraction" else float(v.passed)
        log_metric = kwargs.get("log_metric")
        if log_metric is not None:
            log_metric("judge/compile_rate", compiled / len(texts))
            log_metric("judge/pass_rate", passed / len(texts))
        return out

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session.pool.close()
            self.session = None


class RMReward:
    """TRL reward function: a reward model's score through :class:`backends._rewards.RMScorer` (the ids of RM
    training), loaded once on this rank's device."""

    __name__ = "rm"  # TRL names the reward's metrics (rewards/rm/mean) after the function

    def __init__(self, path: str, max_length: int) -> None:
        from backends._rewards import RMScorer

        self.scorer = RMScorer.load(path, max_length)

    def __call__(self, prompts: list[Any], completions: list[Any], completion_ids: Any = None,
                 **kwargs: Any) -> list[float | None]:
        texts = [c if isinstance(c, str) else c[-1]["content"] for c in completions]
        return list(self.scorer(list(prompts), texts))


def load_problems(cfg: Config, run: RunContext) -> dict[str, Any]:
    """The judgeable problems of ``cfg.problems``'s split, by name (sorted; ``limit`` keeps the first N)."""
    from iotatui.data.problems import normalize_split
    from judge.inputs import load_problem_set

    probs, humaneval = load_problem_set(cfg.problems)
    if humaneval:
        raise ValueError("problems: humaneval has no training split for GRPO")
    if cfg.split not in ("", "all"):
        want = normalize_split(cfg.split)
        probs = {k: p for k, p in probs.items() if p.split == want}
    names = sorted(k for k, p in probs.items() if p.tests() and not p.uses_file_io)
    if cfg.limit:
        names = names[:cfg.limit]
    if not names:
        raise ValueError(f"no judgeable problems in {cfg.problems!r} (split {cfg.split!r})")
    return {k: probs[k] for k in names}


def build_dataset(problems: dict[str, Any], cfg: Config, tokenizer: Any, run: RunContext) -> Any:
    """Rows ``{prompt, problem}``; prompts longer than ``max_prompt_tokens`` are left out (logged)."""
    from datasets import Dataset

    from iotatui.data.prompt import render_prompt

    rows: dict[str, list[str]] = {"prompt": [], "problem": []}
    too_long = []
    for name, p in problems.items():
        text = render_prompt(p, cfg.language)
        if len(tokenizer(text, add_special_tokens=False)["input_ids"]) > cfg.max_prompt_tokens:
            too_long.append(name)
            continue
        rows["prompt"].append(text)
        rows["problem"].append(name)
    if too_long:
        run.log(f"grpo: left out {len(too_long)} problems whose prompt is over {cfg.max_prompt_tokens} tokens: "
                f"{too_long[:5]}", "warning")
    if not rows["prompt"]:
        raise ValueError(f"max_prompt_tokens: every prompt is longer than {cfg.max_prompt_tokens} tokens")
    return Dataset.from_dict(rows)


def reward_model_path(value: str) -> str:
    """A reward model dir, or the ``model`` artifact of a finished ``rm`` run."""
    from backends import _hf

    if Path(value).is_dir():
        return value
    path, meta = _hf.parent_model(value, "reward")  # not a training stage's parent: any finished run's model
    if meta.get("kind") != "reward":
        raise _hf.LineageError(f"reward_model {value}: not an rm run's model")
    return path


def reward_functions(cfg: Config, problems: dict[str, Any]) -> tuple[list[Any], list[float] | None, JudgeReward | None]:
    """(reward_funcs, reward_weights, the judge reward if any) for ``GRPOTrainer``: callables only (our judge, our
    RM scorer, the user's function), never a model path for TRL to tokenize its own way."""
    kind = reward_kind(cfg.reward)
    if kind == "callable":
        return [load_callable(cfg.reward)], None, None
    judge: JudgeReward | None = None
    if kind in ("judge", "mix"):
        from iotatui.config import workspace_judge_hosts

        hosts = workspace_judge_hosts() if cfg.sandbox == "docker" else []
        judge = JudgeReward(problems, cfg.language, cfg.reward_mode, cfg.sandbox, cfg.workers, hosts)
    if kind == "judge":
        return [judge], None, judge
    # Room for the longest prompt (measured without BOS) and completion plus BOS and EOS (re-tokenised text can
    # still run a few tokens over: RMScorer then keeps the head and ends on EOS).
    rm = RMReward(reward_model_path(cfg.reward_model), cfg.max_prompt_tokens + cfg.max_completion_length + 2)
    if kind == "rm":
        return [rm], None, None
    return [judge, rm], [cfg.mix_weight, 1.0 - cfg.mix_weight], judge


def grpo_trainer(cfg: Config, model_path: str, dataset: Any, rewards: list[Any], weights: list[float] | None,
                 run: RunContext, gpu: bool) -> tuple[Any, Any, Any, Any]:
    """(trainer, tokenizer, events callback, health callback)."""
    import trl

    from backends import _hf

    tok = _hf.load_tokenizer(model_path)
    tok.padding_side = "left"  # generation pads on the left
    model = _hf.load_model(model_path, gpu=gpu, frozen=True)  # only the LoRA adapter trains
    extra: dict[str, Any] = {"reward_weights": weights} if weights else {}
    args = trl.GRPOConfig(**_hf.trainer_args(cfg, run.dir / "checkpoints", gpu), beta=cfg.beta,
                          num_generations=cfg.num_generations, max_completion_length=cfg.max_completion_length,
                          temperature=cfg.temperature, **extra)
    cb = _hf.events_callback(run)
    hc = _hf.health_callback(cfg, run)
    trainer = trl.GRPOTrainer(model=model, reward_funcs=rewards, args=args, train_dataset=dataset,
                              processing_class=tok, callbacks=[cb, hc],
                              peft_config=_hf.lora_config(cfg.lora_r, cfg.lora_alpha))
    _hf.guard_finite_loss(trainer)
    return trainer, tok, cb, hc


def main(cfg: Config, run: RunContext) -> dict[str, Any]:
    from backends import _hf

    model_path, lineage = _hf.resolve_model_input(cfg.model, run, "grpo")
    problems = load_problems(cfg, run)
    rewards, weights, judge = reward_functions(cfg, problems)
    gpu = _hf.on_gpu()
    try:
        tok = _hf.load_tokenizer(model_path)
        dataset = build_dataset(problems, cfg, tok, run)
        trainer, tok, cb, hc = grpo_trainer(cfg, model_path, dataset, rewards, weights, run, gpu)
        run.log(f"grpo: {len(dataset)} prompts x {cfg.num_generations} generations, reward {cfg.reward}"
                f"{' (' + cfg.reward_mode + ')' if judge else ''}, model {model_path}, LoRA r={cfg.lora_r}, "
                f"beta {cfg.beta}, {'cuda' if gpu else 'cpu'}")
        trainer.train(resume_from_checkpoint=_hf.resume_checkpoint(run, run.dir / "checkpoints"))
        meta = {**lineage, "stage": "grpo", "problems": cfg.problems, "reward": cfg.reward, "adapter": True,
                "base_model": model_path, "lora_r": cfg.lora_r}
        summary = _hf.finish(trainer, run, tok, cb, meta)
    finally:
        if judge is not None:
            judge.close()
    if judge is not None:
        summary.update(judge_sessions=judge.sessions_opened, judged=judge.judged, reward_calls=judge.calls)
    if hc.monitor.seen:
        summary["health"] = dict(hc.monitor.seen)
    return summary


if __name__ == "__main__":
    from backends._runtime import run_stage

    run_stage(Config, main)
