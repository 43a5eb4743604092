"""Each rule reproduces its table of the hyperparameter guide."""

from __future__ import annotations

import pytest

from ftguide.catalog import resolve_gpu, resolve_model
from ftguide.engine import apply_rules, lint, suggest
from ftguide.models import Overrides, Profile, Request
from ftguide.rules import Context, all_rules, get_rule
from ftguide.rules.data import EFFECTIVE_BATCH_RANGE, EPOCH_RANGE, QUICK_START, tier
from ftguide.rules.lora import ALPHA_FACTOR, RANK_BY_TASK, dropout_range, expand_targets, lr_range

LLAMA = resolve_model("llama-3.1-8b")

# The guide's three quick-start configurations, verbatim.
GUIDE_QUICK_START = {
    "small": dict(
        learning_rate=1e-4,
        num_epochs=3,
        batch_size=4,
        gradient_accumulation_steps=4,
        lora_r=8,
        lora_alpha=16,
        lora_dropout=0.1,
        warmup_ratio=0.1,
    ),
    "medium": dict(
        learning_rate=2e-4,
        num_epochs=2,
        batch_size=4,
        gradient_accumulation_steps=4,
        lora_r=16,
        lora_alpha=32,
        lora_dropout=0.05,
        warmup_ratio=0.03,
    ),
    "large": dict(
        learning_rate=2e-4,
        num_epochs=1,
        batch_size=8,
        gradient_accumulation_steps=2,
        lora_r=32,
        lora_alpha=64,
        lora_dropout=0.05,
        warmup_ratio=0.03,
    ),
}


def values_for(examples: int, model: str = "7B", **request: object) -> dict[str, object]:
    req = Request(examples=examples, model=model, **request)  # type: ignore[arg-type]
    values, _ = apply_rules(req, resolve_model(model), None, None)
    return values


def test_quick_start_table_is_the_guides() -> None:
    assert QUICK_START == GUIDE_QUICK_START


@pytest.mark.parametrize(
    ("examples", "name"),
    [
        (1, "small"),
        (99, "small"),
        (499, "small"),
        (500, "medium"),
        (800, "medium"),
        (5000, "medium"),
        (5001, "large"),
        (100_000, "large"),
    ],
)
def test_dataset_tiers(examples: int, name: str) -> None:
    assert tier(examples) == name


@pytest.mark.parametrize("examples", [300, 800, 3000])
def test_small_and_medium_profiles_are_the_quick_start_exactly(examples: int) -> None:
    values = values_for(examples)
    expected = GUIDE_QUICK_START[tier(examples)]
    assert {k: values[k] for k in expected} == expected


def test_large_profile_is_quick_start_with_accumulation_raised_to_the_effective_batch_range() -> None:
    values = values_for(20_000)
    expected = dict(GUIDE_QUICK_START["large"], gradient_accumulation_steps=4)
    assert {k: values[k] for k in expected} == expected
    assert values["effective_batch_size"] == 32


@pytest.mark.parametrize(
    ("examples", "low", "high"),
    [(50, 0.1, 0.2), (100, 0.05, 0.1), (1000, 0.05, 0.1), (1001, 0.0, 0.05), (50_000, 0.0, 0.05)],
)
def test_dropout_table(examples: int, low: float, high: float) -> None:
    assert dropout_range(examples) == (low, high)
    rule = get_rule("LO003")
    assert rule is not None
    assert rule(Context(values={"lora_dropout": (low + high) / 2}, examples=examples)) == []
    too_high = rule(Context(values={"lora_dropout": 0.5}, examples=examples))
    assert [f.value for f in too_high] == [high]
    if low > 0:
        assert [f.value for f in rule(Context(values={"lora_dropout": 0.0}, examples=examples))] == [low]


@pytest.mark.parametrize(("examples", "epochs"), [(300, (3, 5)), (800, (2, 3)), (10_000, (1, 2))])
def test_epochs_table(examples: int, epochs: tuple[int, int]) -> None:
    assert EPOCH_RANGE[tier(examples)] == epochs
    rule = get_rule("epochs-by-dataset-size")
    assert rule is not None
    assert rule(Context(values={"num_epochs": epochs[0]}, examples=examples)) == []
    assert rule(Context(values={"num_epochs": epochs[1]}, examples=examples)) == []
    assert [f.value for f in rule(Context(values={"num_epochs": epochs[1] + 1}, examples=examples))] == [epochs[1]]


@pytest.mark.parametrize(("examples", "rng"), [(300, (8, 16)), (800, (16, 32)), (10_000, (32, 64))])
@pytest.mark.parametrize("gpus", [1, 2, 4, 8])
@pytest.mark.parametrize("batch", [1, 2, 4, 8])
def test_effective_batch_held_in_range(examples: int, rng: tuple[int, int], gpus: int, batch: int) -> None:
    assert EFFECTIVE_BATCH_RANGE[tier(examples)] == rng
    values = values_for(examples, num_gpus=gpus, overrides=Overrides(batch_size=batch))
    eff = values["batch_size"] * values["gradient_accumulation_steps"] * gpus  # type: ignore[operator]
    assert values["effective_batch_size"] == eff
    if batch * gpus <= rng[1]:
        assert rng[0] <= eff <= rng[1]


@pytest.mark.parametrize(
    ("params", "low", "high"), [(7, 1e-4, 3e-4), (13, 1e-4, 2e-4), (70, 5e-5, 1e-4), (1, 1e-4, 3e-4), (405, 5e-5, 1e-4)]
)
def test_learning_rate_rows(params: float, low: float, high: float) -> None:
    assert lr_range(params) == pytest.approx((low, high))


def test_learning_rate_between_rows_is_monotonic_and_bounded() -> None:
    sizes = [7, 8, 9, 10, 12, 13, 14, 20, 32, 50, 70]
    ranges = [lr_range(s) for s in sizes]
    highs = [h for _, h in ranges]
    assert highs == sorted(highs, reverse=True)
    assert all(5e-5 <= lo <= hi <= 3e-4 for lo, hi in ranges)


def test_learning_rate_for_70b_is_clamped() -> None:
    assert values_for(800, "70B")["learning_rate"] == 1e-4


@pytest.mark.parametrize(("pattern", "factor"), [("conservative", 1), ("standard", 2), ("aggressive", 4)])
def test_alpha_patterns(pattern: str, factor: int) -> None:
    assert ALPHA_FACTOR[pattern] == factor
    values = values_for(800, alpha_pattern=pattern, overrides=Overrides(lora_r=32))
    assert values["lora_alpha"] == factor * 32


@pytest.mark.parametrize(
    ("task", "r"), [("style", 4), ("standard", 8), ("complex", 16), ("domain", 32), ("near-full", 64)]
)
def test_rank_table(task: str, r: int) -> None:
    assert RANK_BY_TASK[task] == r
    assert values_for(800, task=task)["lora_r"] == r


def test_target_modules_presets_named_per_architecture() -> None:
    assert expand_targets("qv", LLAMA) == ["q_proj", "v_proj"]
    assert expand_targets("attention", LLAMA) == ["q_proj", "k_proj", "v_proj", "o_proj"]
    assert expand_targets("all", LLAMA) == ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    phi = resolve_model("phi-3-mini-4k")
    assert expand_targets("qv", phi) == ["qkv_proj"]
    assert expand_targets("all", phi) == ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]
    assert values_for(800, "phi-3-mini-4k")["target_modules"] == ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]


@pytest.mark.parametrize(
    ("examples", "scheduler"), [(20, "constant"), (200, "linear"), (800, "cosine"), (400_000, "cosine_with_restarts")]
)
def test_scheduler_by_run_length(examples: int, scheduler: str) -> None:
    assert values_for(examples)["lr_scheduler"] == scheduler


def test_early_stopping_patience_3_and_cadence_gives_enough_evaluations() -> None:
    for examples in (50, 300, 800, 5000, 50_000):
        values = values_for(examples)
        assert values["early_stopping_patience"] == 3
        ctx = Context(values=values, examples=examples)
        total = ctx.total_steps()
        assert total is not None
        assert total // values["eval_steps"] >= min(total, 4)  # type: ignore[operator]


def test_precision_fp16_on_cards_without_bf16() -> None:
    req = Request(examples=800, model="7B", gpu="T4")
    assert suggest(req).profile.precision == "fp16"
    assert suggest(Request(examples=800, model="7B", gpu="A100-80GB")).profile.precision == "bf16"


def test_no_budget_takes_the_guides_qlora_setup() -> None:
    profile = suggest(Request(examples=800, model="7B")).profile
    assert profile.quantization == "4bit"
    assert profile.gradient_checkpointing is True


def test_sequence_length_capped_by_context() -> None:
    assert values_for(800, "llama-2-7b")["max_seq_length"] == 2048
    finding = lint(_profile(max_seq_length=8192), arch=resolve_model("llama-2-7b"))
    assert [(f.code, f.recommended) for f in finding] == [("SQ002", 4096)]


def test_overrides_are_honoured_and_reported() -> None:
    result = suggest(Request(examples=800, model="7B", overrides=Overrides(learning_rate=1e-3, lora_dropout=0.3)))
    assert result.profile.learning_rate == 1e-3
    assert result.profile.lora_dropout == 0.3
    codes = {w.code for w in result.warnings}
    assert {"LR001", "LO003"} <= codes


def _profile(**changes: object) -> Profile:
    base = suggest(Request(examples=800, model="7B")).profile.model_dump()
    base.update(changes)
    return Profile.model_validate(base)


def test_every_rule_is_documented() -> None:
    codes = [r.code for r in all_rules()]
    assert len(codes) == len(set(codes))
    for r in all_rules():
        assert len(r.code) == 5 and r.code[:2].isalpha() and r.code[2:].isdigit()
        assert r.summary and r.section("Why") and r.section("Example"), r.code


def test_bf16_check_fires_on_t4_only() -> None:
    t4 = resolve_gpu("T4")
    assert [f.code for f in lint(_profile(precision="bf16"), gpu=t4)] == ["PR002"]
    assert lint(_profile(precision="bf16"), gpu=resolve_gpu("A100-80GB")) == []
