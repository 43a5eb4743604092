"""Rules for the adapter: rank, alpha, dropout, target modules, and the learning rate by model size."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from ftguide.catalog import expand_targets, find_family
from ftguide.rules import Context, Fix, rule

# The guide's rank table: use case -> rank.
RANK_BY_TASK: dict[str, int] = {"style": 4, "standard": 8, "complex": 16, "domain": 32, "near-full": 64}

# The guide's alpha patterns: alpha = factor * r.
ALPHA_FACTOR: dict[str, int] = {"conservative": 1, "standard": 2, "aggressive": 4}

# The guide's dropout table, by dataset size: (< 100, 100-1000, > 1000).
DROPOUT_RANGE: tuple[tuple[int, float, float], ...] = ((100, 0.1, 0.2), (1001, 0.05, 0.1), (10**12, 0.0, 0.05))

# The guide's "Starting Points" table, LoRA column: model size (billions) -> learning-rate range.
LR_ROWS: tuple[tuple[float, float, float], ...] = ((7.0, 1e-4, 3e-4), (13.0, 1e-4, 2e-4), (70.0, 5e-5, 1e-4))

TARGET_PRESETS = ("qv", "attention", "all")


def _round_lr(value: float) -> float:
    """Two significant digits, so learning rates print as 2.7e-04 rather than 2.7318e-04."""
    return float(f"{value:.1e}")


def lr_range(params_b: float) -> tuple[float, float]:
    """The guide's LoRA learning-rate range for a model of ``params_b`` billion parameters.

    At the 7B, 13B and 70B rows the range is the table's. Between rows both ends are interpolated linearly
    in log(learning rate) against log(parameters); below 7B the 7B row holds and above 70B the 70B row.
    """
    if params_b <= LR_ROWS[0][0]:
        return LR_ROWS[0][1], LR_ROWS[0][2]
    if params_b >= LR_ROWS[-1][0]:
        return LR_ROWS[-1][1], LR_ROWS[-1][2]
    for (p0, lo0, hi0), (p1, lo1, hi1) in itertools.pairwise(LR_ROWS):
        if p0 <= params_b <= p1:
            t = (math.log(params_b) - math.log(p0)) / (math.log(p1) - math.log(p0))
            lo = math.exp(math.log(lo0) + t * (math.log(lo1) - math.log(lo0)))
            hi = math.exp(math.log(hi0) + t * (math.log(hi1) - math.log(hi0)))
            return _round_lr(lo), _round_lr(hi)
    raise AssertionError("unreachable")


def dropout_range(examples: int) -> tuple[float, float]:
    for limit, low, high in DROPOUT_RANGE:
        if examples < limit:
            return low, high
    raise AssertionError("unreachable")


@rule("LO001", "rank-by-task", order=5, kind="default", fields=("lora_r",))
def rank_by_task(ctx: Context) -> Iterator[Fix]:
    """Take the LoRA rank from the guide's rank table when the task is known.

    Why:
    Rank sets how expressive the adapter is: 4 for minor style changes, 8 for standard fine-tuning,
    16 for complex tasks, 32 for domain adaptation, 64 and up to approach full fine-tuning.

    Table:
    | task      | r  |
    | style     | 4  |
    | standard  | 8  |
    | complex   | 16 |
    | domain    | 32 |
    | near-full | 64 |

    Example:
    --task domain gives r 32 (and alpha 64 with the standard pattern).
    """
    if ctx.task in RANK_BY_TASK:
        yield Fix("lora_r", RANK_BY_TASK[ctx.task], f"rank table: {ctx.task} task")


@rule("LR001", "learning-rate-by-model-size", order=30, kind="check", fields=("learning_rate",))
def learning_rate_by_size(ctx: Context) -> Iterator[Fix]:
    """Keep the learning rate inside the guide's LoRA range for the model's size.

    Why:
    Larger models need smaller steps: the guide gives 1e-4 to 3e-4 at 7B, 1e-4 to 2e-4 at 13B and
    5e-5 to 1e-4 at 70B. Between rows ftguide interpolates in log space; outside them the nearest row holds.

    Table:
    | model size | LoRA learning rate |
    | 7B         | 1e-4 to 3e-4       |
    | 13B        | 1e-4 to 2e-4       |
    | 70B        | 5e-5 to 1e-4       |

    Example:
    2e-4 on a 70B model is above 1e-4: 1e-4 is recommended.
    """
    if ctx.arch is None or not ctx.has("learning_rate"):
        return
    low, high = lr_range(ctx.arch.params_b)
    lr = float(ctx.values["learning_rate"])
    if lr > high * 1.0001 or lr < low * 0.9999:
        target = high if lr > high else low
        yield Fix(
            "learning_rate",
            target,
            f"{ctx.arch.params_b:g}B parameters: LoRA learning rate {low:.1e} to {high:.1e}",
        )


@rule("LO002", "alpha-pattern", order=60, kind="default", fields=("lora_alpha",))
def alpha_pattern(ctx: Context) -> Iterator[Fix]:
    """Set lora_alpha from the rank: 2r by default, r (conservative) or 4r (aggressive) on request.

    Why:
    alpha / r scales every LoRA update. The guide's standard ratio is 2; 1 is more conservative,
    4 more aggressive.

    Example:
    r 16 gives alpha 32; with --alpha-pattern conservative, alpha 16.
    """
    if not ctx.has("lora_r"):
        return
    factor = ALPHA_FACTOR[ctx.alpha_pattern]
    yield Fix("lora_alpha", factor * int(ctx.values["lora_r"]), f"{ctx.alpha_pattern} pattern: alpha = {factor}r")


@rule("LO003", "dropout-by-dataset-size", order=70, kind="check", fields=("lora_dropout",))
def dropout_by_size(ctx: Context) -> Iterator[Fix]:
    """Keep LoRA dropout in the guide's range for the dataset size.

    Why:
    Dropout fights overfitting, which small datasets suffer most from; on large datasets it only slows
    learning.

    Table:
    | examples  | dropout    |
    | < 100     | 0.1 - 0.2  |
    | 100-1000  | 0.05 - 0.1 |
    | > 1000    | 0.0 - 0.05 |

    Example:
    dropout 0 on 80 examples is raised to 0.1.
    """
    if ctx.examples is None or not ctx.has("lora_dropout"):
        return
    low, high = dropout_range(ctx.examples)
    value = float(ctx.values["lora_dropout"])
    if value < low - 1e-9 or value > high + 1e-9:
        target = low if value < low else high
        yield Fix("lora_dropout", target, f"{ctx.examples} examples want dropout {low:g}-{high:g}")


@rule("LO004", "target-modules", order=80, kind="default", fields=("target_modules",))
def target_modules(ctx: Context) -> Iterator[Fix]:
    """Adapt every linear layer of attention and MLP, named as the model names them.

    Why:
    The guide's table goes from q and v (the minimum) through k and o to the MLP projections (full
    adaptation), and lists all seven as the common Llama/Mistral targets. ftguide starts there and drops
    modules only when memory demands it; fused models (Phi-3's qkv_proj) use their own names.

    Table:
    | preset    | modules                                    |
    | qv        | q_proj, v_proj (minimum)                   |
    | attention | q_proj, k_proj, v_proj, o_proj             |
    | all       | attention + gate_proj, up_proj, down_proj  |

    Example:
    Llama: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.
    """
    if ctx.arch is None:
        return
    preset = "qv" if ctx.task == "style" else "all"
    yield Fix("target_modules", expand_targets(preset, ctx.arch), f"{preset!r} preset for {ctx.arch.model_type}")


@rule("LO005", "alpha-ratio", order=90, kind="check", fields=("lora_alpha",))
def alpha_ratio(ctx: Context) -> Iterator[Fix]:
    """Keep alpha / r between 1 and 4, the guide's conservative and aggressive patterns.

    Why:
    A ratio under 1 makes updates too small to learn; above 4 they grow large enough to destabilise training.

    Example:
    r 64 with alpha 16 (ratio 0.25) is raised to alpha 64.
    """
    if not ctx.has("lora_r", "lora_alpha"):
        return
    r, alpha = int(ctx.values["lora_r"]), int(ctx.values["lora_alpha"])
    if alpha < r:
        yield Fix("lora_alpha", r, f"alpha/r = {alpha / r:.2g} is below the conservative ratio 1")
    elif alpha > 4 * r:
        yield Fix("lora_alpha", 4 * r, f"alpha/r = {alpha / r:.2g} is above the aggressive ratio 4")


@rule("LO006", "targets-include-minimum", order=100, kind="check", fields=("target_modules",), severity="info")
def targets_minimum(ctx: Context) -> Iterator[Fix]:
    """Adapt at least the query and value projections.

    Why:
    The guide calls q_proj and v_proj the minimum for most tasks; leaving either out usually underfits.

    Example:
    target_modules [o_proj] lacks q_proj and v_proj.
    """
    if ctx.arch is None or not ctx.has("target_modules"):
        return
    present = set(ctx.values["target_modules"])
    missing = [m for m in ctx.arch.min_modules if m not in present]
    if missing and present <= set(ctx.arch.all_modules):
        merged = [m for m in ctx.arch.all_modules if m in present or m in missing]
        yield Fix("target_modules", merged, f"missing the minimum targets {', '.join(missing)}")


@rule("LO007", "targets-exist", order=105, kind="check", fields=("target_modules",), severity="error")
def targets_exist(ctx: Context) -> Iterator[Fix]:
    """Name only modules the model has.

    Why:
    PEFT raises an error when no module matches, and Axolotl silently adapts fewer layers than asked when
    some names do not exist; Llama-style names do not exist in fused models such as Phi-3.

    Example:
    q_proj on Phi-3 does not exist: qkv_proj is its fused query/key/value projection.
    """
    if ctx.arch is None or not ctx.has("target_modules") or not ctx.arch.all_modules:
        return
    family = find_family(ctx.arch.model_type)
    # Routers and gates that are nn.Linear (Family.gate_modules: a shared expert's sigmoid gate, nn.Linear(h, 1), in
    # Qwen2-MoE, Qwen3-Next and Qwen3.5-MoE; Llama 4's router) are modules the model has, though no preset adapts
    # them (Axolotl's Qwen3-Next examples adapt shared_expert_gate).
    gates = set(family.gate_modules) if family is not None else set()
    unknown = [m for m in ctx.values["target_modules"] if m not in ctx.arch.all_modules and m not in gates]
    if unknown and family is not None and family.peft_moves_mlp_targets and set(unknown) <= set(family.mlp_modules):
        # The names exist (the shared expert's and dense layers' nn.Linear), but PEFT moves them onto the fused
        # routed experts, whose wrapper accepts no dropout: only then does the run fail.
        dropout = float(ctx.values.get("lora_dropout") or 0.0)
        if dropout > 0:
            kept = [m for m in ctx.values["target_modules"] if m not in unknown] or list(ctx.arch.min_modules)
            yield Fix(
                "target_modules",
                kept,
                f"PEFT 0.21 moves {', '.join(unknown)} of {ctx.arch.model_type} onto its fused routed experts, "
                f"which refuse lora_dropout {dropout:g} (and leave the shared expert unadapted)",
            )
        return
    if unknown:
        kept = [m for m in ctx.values["target_modules"] if m in ctx.arch.all_modules] or list(ctx.arch.min_modules)
        yield Fix(
            "target_modules",
            kept,
            f"{ctx.arch.name} has no {', '.join(unknown)} (it has {', '.join(ctx.arch.all_modules)})",
        )
