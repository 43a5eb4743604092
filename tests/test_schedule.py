"""Steps, tokens and time: exact arithmetic, and the calibrated throughput model."""

from __future__ import annotations

import math

import pytest

from ftguide.catalog import resolve_gpu, resolve_model
from ftguide.engine import suggest
from ftguide.models import Overrides, Request
from ftguide.schedule import build_schedule, default_gpu, tokens_per_second


def test_schedule_arithmetic_for_the_main_example() -> None:
    result = suggest(Request(examples=800, model="7B", vram_gib=12))
    plan, p = result.schedule, result.profile
    assert plan.eval_examples == 80 and plan.train_examples == 720
    micro_batches = math.ceil(720 / p.batch_size)
    assert plan.steps_per_epoch == math.ceil(micro_batches / p.gradient_accumulation_steps) == 45
    assert plan.total_steps == 90
    assert plan.warmup_steps == math.ceil(90 * 0.03)
    assert plan.evaluations == 90 // p.eval_steps
    assert plan.tokens == 90 * 16 * 2048
    assert plan.estimated_hours.low < plan.estimated_hours.expected < plan.estimated_hours.high


def test_tokens_never_exceed_the_data() -> None:
    plan = suggest(Request(examples=10, model="llama-3.2-1b", vram_gib=24)).schedule
    assert plan.tokens <= math.ceil(plan.train_examples * 3) * 2048


def test_more_gpus_and_bigger_cards_finish_sooner() -> None:
    one = suggest(Request(examples=20000, model="8B", gpu="A100-80GB")).schedule
    four = suggest(Request(examples=20000, model="8B", gpu="A100-80GB", num_gpus=4)).schedule
    assert four.estimated_hours.expected < one.estimated_hours.expected
    h100 = suggest(Request(examples=20000, model="8B", gpu="H100-80GB")).schedule
    assert h100.estimated_hours.expected < one.estimated_hours.expected


def test_checkpointing_and_4bit_cost_time() -> None:
    arch, gpu = resolve_model("llama-3.1-8b"), resolve_gpu("H200")
    base = suggest(
        Request(
            examples=800,
            model="8B",
            vram_gib=80,
            overrides=Overrides(quantization="none", gradient_checkpointing=False),
        )
    ).profile
    fast = tokens_per_second(base, arch, gpu, "peft")
    assert tokens_per_second(base.model_copy(update={"gradient_checkpointing": True}), arch, gpu, "peft") < fast
    assert tokens_per_second(base.model_copy(update={"quantization": "4bit"}), arch, gpu, "peft") < fast


def test_unknown_card_is_named_in_the_assumptions() -> None:
    plan = suggest(Request(examples=800, model="7B", vram_gib=24)).schedule
    assert plan.gpu == default_gpu(24).name
    assert any("no --gpu" in a for a in plan.assumptions)


@pytest.mark.parametrize("framework", ["peft", "unsloth", "axolotl"])
def test_every_framework_has_a_schedule(framework: str) -> None:
    result = suggest(Request(examples=3000, model="8B", gpu="RTX-4090", framework=framework))
    plan = build_schedule(result.profile, resolve_model("8B"), 3000, framework, resolve_gpu("RTX-4090"), 24)
    assert plan == result.schedule
