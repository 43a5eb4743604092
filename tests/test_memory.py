"""The memory model and the fitter."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftguide import memory
from ftguide.catalog import ARCHITECTURES, resolve_model
from ftguide.engine import lint, suggest
from ftguide.errors import FitError
from ftguide.fit import fit
from ftguide.models import Overrides, Profile, Request

LLAMA = resolve_model("llama-3.1-8b")
BASE = suggest(Request(examples=800, model="llama-3.1-8b")).profile


def with_(**changes: object) -> Profile:
    data = BASE.model_dump()
    data.update(changes)
    data["effective_batch_size"] = data["batch_size"] * data["gradient_accumulation_steps"] * data["num_gpus"]
    return Profile.model_validate(data)


def test_nf4_storage_cost() -> None:
    assert pytest.approx(0.5 + 1 / 64 + 8 / (64 * 256)) == memory.NF4_BYTES_DQ
    linear = LLAMA.num_hidden_layers * LLAMA.linear_params_per_layer()
    assert memory.base_weight_bytes(LLAMA, "4bit") == pytest.approx(linear * memory.NF4_BYTES_DQ)
    assert memory.base_weight_bytes(LLAMA, "none") == pytest.approx(2 * linear)


def test_breakdown_sums_to_estimate() -> None:
    est = memory.memory_estimate(BASE, LLAMA, "peft", 24)
    assert sum(est.breakdown.values()) == pytest.approx(est.estimated_gib, abs=0.011)
    assert set(est.breakdown) == {
        "base_weights",
        "unquantized_weights",
        "lora_state",
        "activations",
        "logits_and_loss",
        "allocator_and_buffers",
        "cuda_context",
    }


@pytest.mark.parametrize("framework", ["peft", "axolotl", "unsloth"])
def test_estimate_grows_with_each_knob(framework: str) -> None:
    def total(**changes: object) -> float:
        return memory.total_gib(with_(**changes), LLAMA, framework)

    assert total(batch_size=4) > total(batch_size=1)
    assert total(max_seq_length=4096) > total(max_seq_length=1024)
    assert total(lora_r=64) > total(lora_r=8)
    assert total(quantization="none") > total(quantization="4bit")
    assert total(quantization="8bit") > total(quantization="4bit")
    assert total(gradient_checkpointing=False) > total(gradient_checkpointing=True)
    assert total(target_modules=["q_proj", "v_proj"]) < total()


def test_fit_respects_budget_and_guide_order() -> None:
    start = with_(quantization="none", gradient_checkpointing=False, batch_size=4, gradient_accumulation_steps=4)
    result = fit(start, LLAMA, "peft", 24.0)
    assert result.memory.fits
    assert result.memory.estimated_gib + result.memory.safety_margin_gib <= 24.0
    assert result.profile.gradient_checkpointing
    assert result.profile.effective_batch_size == start.effective_batch_size
    # Lever 3 (4-bit) is pulled only if levers 1-2 were not enough.
    lever12 = with_(quantization="none", gradient_checkpointing=True, batch_size=1, gradient_accumulation_steps=16)
    fits_16bit = memory.total_gib(lever12, LLAMA, "peft") + memory.safety_margin(24.0) <= 24.0
    assert (result.profile.quantization == "none") == fits_16bit


def test_user_fixed_values_are_never_touched() -> None:
    result = suggest(
        Request(
            examples=800,
            model="llama-3.2-3b",
            vram_gib=16,
            overrides=Overrides(quantization="none", max_seq_length=512),
        )
    )
    assert result.profile.quantization == "none" and result.profile.max_seq_length == 512
    with pytest.raises(FitError, match="values you fixed"):
        suggest(Request(examples=800, model="llama-3.1-8b", vram_gib=16, overrides=Overrides(quantization="none")))


def test_no_fit_raises_with_minimum() -> None:
    with pytest.raises(FitError, match="needs at least"):
        suggest(Request(examples=800, model="70B", vram_gib=8))


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: a.name)
def test_every_catalog_model_estimates(arch) -> None:  # type: ignore[no-untyped-def]
    result = suggest(Request(examples=1000, model=arch.name))
    est = memory.memory_estimate(result.profile, arch, "peft")
    assert 0.5 < est.estimated_gib < 1000
    assert all(v >= 0 for v in est.breakdown.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    examples=st.integers(min_value=1, max_value=2_000_000),
    model=st.sampled_from([a.name for a in ARCHITECTURES]),
    budget=st.one_of(st.none(), st.sampled_from([8.0, 12.0, 16.0, 24.0, 40.0, 48.0, 80.0, 141.0])),
    gpus=st.sampled_from([1, 2, 4, 8]),
)
def test_check_of_suggest_finds_nothing(examples: int, model: str, budget: float | None, gpus: int) -> None:
    try:
        result = suggest(Request(examples=examples, model=model, vram_gib=budget, num_gpus=gpus))
    except FitError:
        return
    assert result.warnings == []
    assert lint(result.profile, examples=examples, arch=resolve_model(model), budget_gib=budget) == []
    if budget is not None:
        assert result.memory.fits
