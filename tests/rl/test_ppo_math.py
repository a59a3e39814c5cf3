"""PPO's maths against values computed by hand (the comments show the arithmetic)."""

from __future__ import annotations

import math
from typing import Any

import pytest

pytestmark = [pytest.mark.torch]


def t(rows: list[list[float]]) -> Any:
    import torch

    return torch.tensor(rows, dtype=torch.float64)


def test_masked_mean_and_whiten() -> None:
    from backends._ppo import masked_mean, whiten

    x, m = t([[1.0, 3.0, 100.0]]), t([[1.0, 1.0, 0.0]])
    assert float(masked_mean(x, m)) == 2.0  # the masked 100 is ignored
    w = whiten(x, m)
    # mean 2, unbiased var ((1-2)^2 + (3-2)^2) / 1 = 2 -> (x - 2) / sqrt(2); 0 off the mask
    assert w.tolist()[0] == pytest.approx([-1 / math.sqrt(2), 1 / math.sqrt(2), 0.0], abs=1e-6)


def test_gae_by_hand() -> None:
    from backends._ppo import gae

    values, rewards = t([[0.5, 1.0, 2.0, 9.0]]), t([[0.0, 0.0, 1.0, 7.0]])
    mask = t([[1.0, 1.0, 1.0, 0.0]])  # the 4th position is padding: its value and reward must not count
    adv, ret = gae(values, rewards, mask, gamma=0.9, lam=0.5)
    # delta2 = 1 + 0.9*0 - 2 = -1 ; A2 = -1
    # delta1 = 0 + 0.9*2 - 1 = 0.8 ; A1 = 0.8 + 0.45*(-1) = 0.35
    # delta0 = 0 + 0.9*1 - 0.5 = 0.4 ; A0 = 0.4 + 0.45*0.35 = 0.5575
    assert adv.tolist()[0] == pytest.approx([0.5575, 0.35, -1.0, 0.0])
    assert ret.tolist()[0] == pytest.approx([1.0575, 1.35, 1.0, 0.0])


def test_gae_gamma_lam_one_is_reward_to_go_minus_value() -> None:
    from backends._ppo import gae

    adv, ret = gae(t([[1.0, 2.0, 3.0]]), t([[0.0, 0.0, 5.0]]), t([[1.0, 1.0, 1.0]]), 1.0, 1.0)
    assert adv.tolist()[0] == pytest.approx([4.0, 3.0, 2.0])  # 5 - V_t
    assert ret.tolist()[0] == pytest.approx([5.0, 5.0, 5.0])


def test_kl_penalty_k1_k3() -> None:
    from backends._ppo import kl_penalty

    lp, ref = t([[math.log(0.5), math.log(0.2)]]), t([[math.log(0.25), math.log(0.2)]])
    assert kl_penalty(lp, ref, "k1").tolist()[0] == pytest.approx([math.log(2), 0.0])
    # k3 with r = q/p = 0.5: (0.5 - 1) - log 0.5 = 0.19315
    assert kl_penalty(lp, ref, "k3").tolist()[0] == pytest.approx([-0.5 + math.log(2), 0.0])
    with pytest.raises(ValueError):
        kl_penalty(lp, ref, "k9")


def test_policy_loss_clips() -> None:
    from backends._ppo import policy_loss

    old = t([[0.0, 0.0, 0.0]])
    new = t([[math.log(1.5), math.log(0.5), math.log(1.1)]])  # ratios 1.5, 0.5, 1.1
    adv, mask = t([[1.0, -1.0, 2.0]]), t([[1.0, 1.0, 1.0]])
    loss, clipfrac, approx_kl = policy_loss(new, old, adv, mask, clip=0.2)
    # token 0: max(-1*1.5, -1*1.2) = -1.2 (clipped); token 1: max(1*0.5, 1*0.8) = 0.8 (clipped);
    # token 2: max(-2*1.1, -2*1.1) = -2.2 (inside the range) -> mean (-1.2 + 0.8 - 2.2) / 3 = -0.8667
    assert float(loss) == pytest.approx(-2.6 / 3)
    assert float(clipfrac) == pytest.approx(2 / 3)
    expect = 0.5 * (math.log(1.5) ** 2 + math.log(0.5) ** 2 + math.log(1.1) ** 2) / 3
    assert float(approx_kl) == pytest.approx(expect)


def test_value_loss_clips() -> None:
    from backends._ppo import value_loss

    new, old, ret = t([[2.0, 0.1]]), t([[0.0, 0.0]]), t([[1.0, 1.0]])
    loss, frac = value_loss(new, old, ret, t([[1.0, 1.0]]), clip=0.5)
    # token 0: unclipped (2-1)^2 = 1, clipped V=0.5 -> 0.25: max 1; token 1: (0.1-1)^2 = 0.81 both (inside clip)
    assert float(loss) == pytest.approx(0.5 * (1.0 + 0.81) / 2)
    assert float(frac) == 0.0


def test_explained_variance_and_response_mask() -> None:
    import torch

    from backends._ppo import explained_variance, response_mask

    ret, m = t([[1.0, 2.0, 3.0, 4.0]]), t([[1.0, 1.0, 1.0, 1.0]])
    assert explained_variance(ret, ret, m) == pytest.approx(1.0)
    assert explained_variance(ret * 0 + 2.5, ret, m) == pytest.approx(0.0)
    assert math.isnan(explained_variance(ret, ret * 0, m))
    resp = torch.tensor([[5, 2, 7, 2], [5, 6, 7, 8]])
    assert response_mask(resp, eos_id=2).tolist() == [[1, 1, 0, 0], [1, 1, 1, 1]]  # EOS itself counts


def _rollout(responses: list[list[int]], eos: int | None, kl: list[list[float]]) -> Any:
    """A Rollout of 2-token prompts + ``responses`` whose per-token log-ratio to the reference is ``kl``."""
    import torch

    from backends._ppo import Rollout, response_mask

    resp = torch.tensor(responses)
    ids = torch.cat([torch.full((len(responses), 2), 9), resp], dim=1)
    mask = response_mask(resp, eos).double()
    ref = torch.full(resp.shape, -2.0, dtype=torch.float64)
    zeros = torch.zeros(resp.shape, dtype=torch.float64)
    return Rollout(ids, torch.ones_like(ids), 2, mask, ref + t(kl), ref, zeros, zeros)


# eos = 2: a finished response, an empty one (EOS first), one cut at max_new_tokens (no EOS)
RESPONSES = [[5, 6, 2, 0], [2, 0, 0, 0], [5, 6, 7, 8]]
LOG_RATIO = [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]]


def test_token_rewards_by_hand_with_eos_empty_and_cut_responses() -> None:
    import torch

    from backends._ppo import Hparams, token_rewards

    ro = _rollout(RESPONSES, 2, LOG_RATIO)
    assert ro.mask.tolist() == [[1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1]]
    rewards, kl = token_rewards(t([[1.0, 2.0, 3.0]])[0], ro, Hparams(kl_coef=0.5, kl_estimator="k1"))
    # KL (k1 = log p - log q) on the response tokens only; the reward is -0.5 * KL on each, plus the score on the
    # row's last real token: the EOS (index 2), the EOS of the empty response (index 0), the cut one's last (3).
    assert torch.allclose(kl, t([[0.1, 0.2, 0.3, 0.0], [0.5, 0.0, 0.0, 0.0], [0.9, 1.0, 1.1, 1.2]]))
    assert torch.allclose(rewards, t([[-0.05, -0.10, -0.15 + 1.0, 0.0],
                                      [-0.25 + 2.0, 0.0, 0.0, 0.0],
                                      [-0.45, -0.50, -0.55, -0.60 + 3.0]])), rewards


def test_missing_eos_penalty_hits_only_the_cut_response() -> None:
    from backends._ppo import penalize_missing_eos

    scores = t([[1.0, 2.0, 3.0]])[0]
    got, cut = penalize_missing_eos(scores, _rollout(RESPONSES, 2, LOG_RATIO), 2, 0.75)
    assert cut.tolist() == [False, False, True] and got.tolist() == pytest.approx([1.0, 2.0, 2.25])
    # pad == EOS (DeepSeek's tokenizer): a finished row is padded with EOS, a cut one still has none.
    padded = [[5, 6, 2, 2], [2, 2, 2, 2], [5, 6, 7, 8]]
    got, cut = penalize_missing_eos(scores, _rollout(padded, 2, LOG_RATIO), 2, 0.75)
    assert cut.tolist() == [False, False, True] and got.tolist() == pytest.approx([1.0, 2.0, 2.25])
    got, cut = penalize_missing_eos(scores, _rollout(RESPONSES, None, LOG_RATIO), None, 0.75)  # no EOS id: none
    assert not cut.any() and got.tolist() == scores.tolist()
