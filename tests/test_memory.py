"""The memory model and the fitter."""

from __future__ import annotations

import dataclasses

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
    # MiniMax-M2 in 4-bit on the PEFT path: 220B of fused experts stay 16-bit and are cast to fp32 (about 1.1 TiB).
    assert 0.5 < est.estimated_gib < 2000
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


# ------------------------------------------------------------------ family terms (calibration/REPORT.md)

QWEN3_MOE = resolve_model("qwen3-30b-a3b")
MIXTRAL = resolve_model("mixtral-8x7b-v0.1")
GEMMA2 = resolve_model("gemma-2-9b")


def profile_for(arch, quant: str = "4bit", gc: bool = True, batch: int = 1, seq: int = 2048, **changes):  # type: ignore[no-untyped-def]
    data = BASE.model_dump()
    data.update(
        base_model=arch.hf_id,
        quantization=quant,
        gradient_checkpointing=gc,
        batch_size=batch,
        gradient_accumulation_steps=1,
        max_seq_length=seq,
        target_modules=list(arch.attention_modules),
        optimizer="adamw_8bit" if quant != "none" else "adamw_torch_fused",
        **changes,
    )
    data["effective_batch_size"] = data["batch_size"] * data["num_gpus"]
    return Profile.model_validate(data)


def test_fused_experts_are_not_quantized_by_bitsandbytes() -> None:
    assert memory.fused_experts(QWEN3_MOE) and memory.fused_experts(MIXTRAL)
    assert not memory.fused_experts(LLAMA) and memory.expert_params(LLAMA) == 0
    h, i, e, layers = 2048, 768, 128, 48
    assert memory.expert_params(QWEN3_MOE) == layers * (3 * h * i * e + h * e)
    # Under 4-bit only the attention projections are NF4; the experts are priced at PEFT's fp32 upcast.
    attention = layers * (h * 4096 * 2 + 2 * h * 512)
    assert memory.base_weight_bytes(QWEN3_MOE, "4bit") == pytest.approx(attention * memory.NF4_BYTES_DQ)
    coef = memory.coefficients("peft")
    assert memory.unquantized_weight_bytes(QWEN3_MOE, "4bit", coef) >= 4 * memory.expert_params(QWEN3_MOE)
    # 16-bit: every decoder weight at 2 bytes, as before.
    total = QWEN3_MOE.num_hidden_layers * QWEN3_MOE.linear_params_per_layer()
    assert memory.base_weight_bytes(QWEN3_MOE, "none") == pytest.approx(2 * total)


def test_qwen3_30b_a3b_qlora_does_not_fit_24_gib() -> None:
    profile = profile_for(QWEN3_MOE, "4bit")
    est = memory.memory_estimate(profile, QWEN3_MOE, "peft", 24)
    assert est.fits is False
    # The experts alone are 29B parameters: 54 GiB in bf16, twice that once PEFT casts them to fp32.
    assert est.estimated_gib > 100
    with pytest.raises(FitError):
        suggest(Request(examples=1000, model="qwen3-30b-a3b", vram_gib=24, framework="peft"))


def test_unsloth_quantizes_its_fused_experts_one_layer_at_a_time_at_load() -> None:
    assert memory.unquantized_expert_params(QWEN3_MOE, "4bit", "unsloth") == 0
    assert memory.unquantized_expert_params(MIXTRAL, "4bit", "unsloth") == 0
    assert memory.unquantized_expert_params(QWEN3_MOE, "4bit", "peft") == memory.expert_params(QWEN3_MOE)
    # Measured on the H200: Unsloth's 4-bit load peaks at 2.8-2.9 bytes per parameter of ONE layer's Mixtral
    # experts beside the model, with one layer as with two, so the transient does not grow with the depth.
    coef = memory.coefficients("unsloth")
    mixtral = profile_for(MIXTRAL, "4bit")
    per_layer = memory.expert_params(MIXTRAL) / MIXTRAL.num_hidden_layers
    for layers in (1, 2, MIXTRAL.num_hidden_layers):
        arch = dataclasses.replace(MIXTRAL, num_hidden_layers=layers)
        static = sum(memory.static_bytes(mixtral, arch, coef, "unsloth").values())
        load = memory.load_peak_bytes(mixtral, arch, coef, "unsloth")
        assert load - static == pytest.approx(2.9 * per_layer)
    peft = memory.total_gib(profile_for(QWEN3_MOE), QWEN3_MOE, "peft")
    unsloth = memory.total_gib(profile_for(QWEN3_MOE), QWEN3_MOE, "unsloth")
    assert unsloth < peft / 4


def test_peft_tensor_by_tensor_upcast_holds_one_old_copy_whatever_the_depth() -> None:
    # The PEFT script casts each 16-bit tensor to fp32 and hands its old copy back before the next: at tensor k
    # the excess over the upcast model is 2 * (n_k - everything cast after it), never a sum over layers.
    coef = memory.coefficients("peft")
    qlora = profile_for(QWEN3_MOE, "4bit")
    per_layer = memory.expert_params(QWEN3_MOE) / QWEN3_MOE.num_hidden_layers
    head = QWEN3_MOE.vocab_size * QWEN3_MOE.hidden_size
    extra = set()
    for layers in (1, 2, 4, 48):
        arch = dataclasses.replace(QWEN3_MOE, num_hidden_layers=layers)
        static = sum(memory.static_bytes(qlora, arch, coef, "peft").values())
        extra.add(round(memory.load_peak_bytes(qlora, arch, coef, "peft") - static))
    assert not QWEN3_MOE.tie_word_embeddings
    # Untied, the head is cast last: its old copy (2 bytes a parameter) is the worst moment, unless the last layer's
    # gate_up_proj (2 x h x I x E) outweighs the down_proj and head still 16-bit after it.
    assert extra == {round(max(2.0 * head, 2.0 * (per_layer * 2 / 3 - per_layer / 3 - head)))}
    tied = dataclasses.replace(QWEN3_MOE, tie_word_embeddings=True)
    assert memory.upcast_transient_bytes(tied, memory.expert_params(tied)) == pytest.approx(2.0 * per_layer / 3)
    # A dense model casts only its embeddings (and untied head): 2 bytes per parameter of V x h either way.
    dense = 2.0 * LLAMA.vocab_size * LLAMA.hidden_size
    assert memory.upcast_transient_bytes(LLAMA, 0) == dense
    assert memory.upcast_transient_bytes(dataclasses.replace(LLAMA, tie_word_embeddings=True), 0) == dense
    # Axolotl's own one-sweep cast keeps its price.
    axolotl_coef = memory.coefficients("axolotl")
    static = sum(memory.static_bytes(qlora, LLAMA, axolotl_coef, "axolotl").values())
    assert memory.load_peak_bytes(qlora, LLAMA, axolotl_coef, "axolotl") - static == pytest.approx(
        axolotl_coef.load_transient * LLAMA.vocab_size * LLAMA.hidden_size
    )


def test_16bit_peft_recompute_holds_the_fp32_cast_of_the_widest_adapted_input() -> None:
    # Traced on the H200 (Llama-3.1-8B, Mistral-7B, Granite-3.3-8B shapes): PEFT casts each adapted module's input
    # to the fp32 adapters and dropout writes another fp32 copy, 8 bytes per input feature of down_proj.
    lora16 = profile_for(LLAMA, "none", gc=True).model_copy(
        update={"target_modules": list(LLAMA.all_modules), "lora_dropout": 0.05}
    )
    shapes = LLAMA.module_shapes()
    widest = max(shapes[m][0] for m in lora16.target_modules)
    assert widest == LLAMA.intermediate_size
    assert memory.recompute_peak_bytes(LLAMA, lora16) == 8 * widest
    no_dropout = lora16.model_copy(update={"lora_dropout": 0.0})
    assert memory.recompute_peak_bytes(LLAMA, no_dropout) == 4 * widest
    attention_only = lora16.model_copy(update={"target_modules": ["q_proj", "v_proj"]})
    assert memory.recompute_peak_bytes(LLAMA, attention_only) == 8 * LLAMA.hidden_size
    feats = memory.features(lora16, LLAMA, "peft")
    assert "recompute_peak" in feats and "hidden_gc16" in feats and "hidden" not in feats
    # A 4-bit base feeds the adapters fp32 already: no cast, and its own per-token term.
    qlora = memory.features(profile_for(LLAMA, "4bit", gc=True), LLAMA, "peft")
    assert "recompute_peak" not in qlora and "hidden_gc" in qlora


def test_attention_masks_are_quadratic_and_one_per_attention_kind() -> None:
    lora = profile_for(LLAMA, "none", gc=True)
    assert memory.attention_mask_bytes(lora, LLAMA, "peft") == lora.batch_size * lora.max_seq_length**2
    assert memory.attention_mask_bytes(lora, LLAMA, "unsloth") == 0.0
    gemma = dataclasses.replace(LLAMA, model_type="gemma3_text")
    assert memory.attention_mask_bytes(lora, gemma, "peft") == 2 * lora.batch_size * lora.max_seq_length**2


def test_eager_attention_keeps_score_matrices_quadratic_in_sequence() -> None:
    eager = profile_for(GEMMA2, "none", gc=False, seq=2048, attn_implementation="eager")
    sdpa = profile_for(GEMMA2, "none", gc=False, seq=2048, attn_implementation="sdpa")
    assert "eager" in memory.features(eager, GEMMA2) and "eager" not in memory.features(sdpa, GEMMA2)
    assert memory.total_gib(eager, GEMMA2) > memory.total_gib(sdpa, GEMMA2) + 5
    longer = eager.model_copy(update={"max_seq_length": 4096})
    ratio = memory.eager_score_bytes(longer, GEMMA2)[0] / memory.eager_score_bytes(eager, GEMMA2)[0]
    assert ratio == pytest.approx(4.0)
    ratio = memory.features(longer, GEMMA2)["eager"] / memory.features(eager, GEMMA2)["eager"]
    assert ratio == pytest.approx(4.0, rel=0.02)
    # Soft-capped scores: tanh output (2) + fp32 softmax (4) + its bf16 copy (2) bytes kept per element.
    kept, _ = memory.eager_score_bytes(eager, GEMMA2)
    assert kept == 8.0 * 1 * GEMMA2.num_attention_heads * 2048 * 2048
    # The scores' gradients come after the layer's MLP has freed its activations (and their gradients): they
    # add only what exceeds those.  Checkpointing keeps one layer's scores instead of every layer's, less the
    # bf16 copy of the probabilities, freed by then (traced on the H200).
    ckpt = eager.model_copy(update={"gradient_checkpointing": True})
    _, transient = memory.eager_score_bytes(eager, GEMMA2)
    freed = 1.5 * 2048 * memory.mlp_activation_bytes(GEMMA2)
    extra = max(0.0, transient - freed)
    assert memory.features(eager, GEMMA2)["eager"] == pytest.approx(GEMMA2.num_hidden_layers * kept + extra)
    copy = 2.0 * memory.b_h_s_s(ckpt, GEMMA2)
    assert memory.features(ckpt, GEMMA2)["eager"] == pytest.approx(kept - copy + extra)
    # Unsloth computes Gemma-2's soft-capped scores itself, whatever the profile says.
    assert "eager" in memory.features(sdpa, GEMMA2, "unsloth")


def test_sandwich_norms_and_qk_norm_cost_activations() -> None:
    from dataclasses import replace

    gemma3 = resolve_model("gemma-3-1b")
    plain = replace(gemma3, model_type="llama")
    extra = memory.layer_activation_bytes(gemma3) - memory.layer_activation_bytes(plain)
    # Two extra norms at 3h each (half a norm's 6h, as traced) plus the per-head q/k norms.
    assert extra == 6 * gemma3.hidden_size + 6 * (gemma3.q_dim + gemma3.kv_dim)
    # Axolotl's path keeps the pricing its fit was made with: 6h per extra norm.
    axolotl = memory.layer_activation_bytes(gemma3, "axolotl") - memory.layer_activation_bytes(plain, "axolotl")
    assert axolotl == 12 * gemma3.hidden_size + 6 * (gemma3.q_dim + gemma3.kv_dim)


def test_committed_calibration_fits_the_first_family_set() -> None:
    fit_doc = memory.calibration()["fit"]
    for framework, median in (("peft", 0.05), ("unsloth", 0.10)):
        families = fit_doc[f"{framework}_families"]["overall"]
        assert families["families"] >= 9 and families["runs"] >= 20
        assert families["median_abs_error"] <= median and families["worst_abs_error"] <= 0.25
    peft = fit_doc["peft_families"]["overall"]
    # Two 16-bit runs without checkpointing (Gemma-3-1B, Phi-3-mini) are 5-7% under since grouped k and v are
    # priced as saved expanded (what the traces show), which moved the fitted activation coefficient.
    assert peft["worst_abs_error"] <= 0.10 and peft["under_estimates_beyond_5pct"] <= 2
    # Each family left out of the fit in turn: what a family never seen would see.
    assert peft["leave_one_family_out"]["median_abs_error"] <= 0.05
    # The Llama-shaped held-out runs (8-bit with checkpointing apart, over-priced on purpose): 2.6% before the
    # family terms, 3.6% since the bf16 recomputed layer and checkpoints are priced at their traced values, 4.0%
    # since the quantized layer is priced in fp32 term by term and the fit takes every family round.
    assert fit_doc["peft"]["held_out"]["excluding_8bit_checkpointed"]["median_abs_error"] <= 0.045


def test_round_five_judges_the_same_model_on_more_unseen_architectures() -> None:
    """Round 5 (calibration/results/round5-heldout.jsonl): more architectures, the model of round 4."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round5"]["overall"]
    assert peft["runs"] >= 24 and peft["families"] >= 6 and peft["failed_runs"] == 0
    assert {"gpt_oss", "granitemoe"} <= set(fit_doc["peft_heldout_round5"]["per_family"])
    assert fit_doc["unsloth_heldout_round5"]["overall"]["runs"] >= 7


def test_round_four_judges_the_final_model_on_architectures_it_never_saw() -> None:
    """Round 4 (calibration/results/round4-heldout.jsonl): run after round 3's fixes, three more new families."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round4"]
    assert peft["overall"]["runs"] >= 25 and peft["overall"]["families"] >= 9
    assert {"phimoe", "granitemoe", "exaone4", "olmoe"} <= set(peft["per_family"])
    assert peft["overall"]["median_abs_error"] <= 0.05 and peft["overall"]["failed_runs"] == 0
    assert fit_doc["unsloth_heldout_round4"]["overall"]["runs"] >= 7


def test_round_three_new_architectures_and_families_were_measured_and_are_reported() -> None:
    """Round 3 (calibration/results/round3-heldout.jsonl): architectures no earlier run used, new families too."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round3"]
    assert peft["overall"]["runs"] >= 30 and peft["overall"]["families"] >= 9
    assert {"glm4", "ernie4_5", "olmoe"} <= set(peft["per_family"])
    # Worst 10.7% (OLMo-2-13B, over) since the OLMo families' q/k norms are priced, 11.1% since the MoE recompute
    # peak's change moved PEFT's safety factor from 1.009 to 1.013.
    assert peft["overall"]["median_abs_error"] <= 0.05 and peft["overall"]["worst_abs_error"] <= 0.115
    assert fit_doc["unsloth_heldout_round3"]["overall"]["runs"] >= 8


def test_round_two_of_the_held_out_families_was_measured_and_is_reported() -> None:
    """The held-out round 2 (calibration/results/round2-heldout.jsonl) judges the committed model."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round2"]["overall"]
    unsloth = fit_doc["unsloth_heldout_round2"]["overall"]
    assert peft["runs"] >= 20 and peft["families"] >= 10 and unsloth["runs"] >= 10
    assert {"mixtral", "qwen3_moe"} <= set(fit_doc["peft_heldout_round2"]["per_family"])
    assert peft["median_abs_error"] <= 0.05


@pytest.mark.skipif("embeddings_upcast" not in Profile.model_fields, reason="profile without embeddings_upcast")
def test_skipping_the_upcast_keeps_frozen_weights_16bit() -> None:
    upcast = profile_for(QWEN3_MOE, "4bit")
    kept = upcast.model_copy(update={"embeddings_upcast": False})
    coef = memory.coefficients("peft")
    static_up = memory.static_bytes(upcast, QWEN3_MOE, coef)["unquantized_weights"]
    static_kept = memory.static_bytes(kept, QWEN3_MOE, coef)["unquantized_weights"]
    assert static_kept == pytest.approx(static_up * 2.0 / coef.upcast)
    # On PEFT's path the fp32 expert copy is not alive at the peak (traced), with or without the upcast.
    assert "expert_copy" not in memory.features(upcast, QWEN3_MOE) and "expert_copy" not in memory.features(
        kept, QWEN3_MOE
    )
    assert "expert_copy" in memory.features(upcast, QWEN3_MOE, "axolotl")
    assert memory.total_gib(kept, QWEN3_MOE) < memory.total_gib(upcast, QWEN3_MOE) - 50


def test_peft_saves_a_bf16_copy_of_each_adapted_input_even_without_dropout() -> None:
    # Measured on the H200 (ERNIE-4.5-0.3B, 16-bit, no dropout): PEFT casts the input to the fp32 adapters and
    # autocast saves it back in bf16 for lora_A, 2 bytes per input feature; dropout adds its 1-byte mask.
    lora = profile_for(LLAMA, "none", gc=False)
    shapes = LLAMA.module_shapes()
    inputs = sum(shapes[m][0] for m in lora.target_modules)
    with_dropout = lora.model_copy(update={"lora_dropout": 0.05})
    without = lora.model_copy(update={"lora_dropout": 0.0})
    assert memory.dropout_bytes(LLAMA, with_dropout, "peft") == 3 * inputs
    assert memory.dropout_bytes(LLAMA, without, "peft") == 2 * inputs
    assert memory.dropout_bytes(LLAMA, without, "unsloth") == 0.0
    assert memory.total_gib(without, LLAMA, "peft") < memory.total_gib(with_dropout, LLAMA, "peft")


def test_peft_attention_keeps_grouped_keys_and_values_expanded() -> None:
    # transformers 5.23 expands k and v to every query head (repeat_kv) when a mask is passed, and SDPA saves the
    # expanded tensors: 8q bytes per token on PEFT's path, against 4q + 4kv on the paths fitted without that.
    assert LLAMA.kv_dim < LLAMA.q_dim
    gap = memory.layer_activation_bytes(LLAMA, "peft") - memory.layer_activation_bytes(LLAMA, "axolotl")
    assert gap == pytest.approx(4 * (LLAMA.q_dim - LLAMA.kv_dim))


def test_a_quantized_layer_without_checkpointing_is_priced_in_fp32_term_by_term() -> None:
    """PEFT's upcast makes the residual stream fp32: norms 4h each, attention 9q, the MLP's gate, up and
    activation outputs 12I (traced: Qwen2.5-3B, SmolLM2-360M, Gemma-2-27B), routed 12I + 6h per copy."""
    h, i, q = LLAMA.hidden_size, LLAMA.intermediate_size, LLAMA.q_dim
    assert memory.layer_activation_bytes_fp32(LLAMA) == 8 * h + 9 * q + 12 * i
    k, e = QWEN3_MOE.num_experts_per_tok, QWEN3_MOE.num_experts
    h, i, q, kv = QWEN3_MOE.hidden_size, QWEN3_MOE.intermediate_size, QWEN3_MOE.q_dim, QWEN3_MOE.kv_dim
    assert memory.layer_activation_bytes_fp32(QWEN3_MOE) == 8 * h + 9 * q + 4 * (q + kv) + k * (12 * i + 6 * h) + 12 * e
    quant = profile_for(LLAMA, "4bit", gc=False, batch=2, seq=1024)
    tokens = 2 * 1024
    feats = memory.features(quant, LLAMA)
    assert feats["act_quant"] == tokens * LLAMA.num_hidden_layers * memory.layer_activation_bytes_fp32(LLAMA)
    # The backward of the last MLP: three fp32 gradients of t x I.
    assert feats["transient"] == tokens * 3 * 4.0 * LLAMA.intermediate_size
    # Checkpointed runs keep their own (traced) recompute terms; Unsloth's and Axolotl's paths are unchanged.
    assert "transient" not in memory.features(profile_for(LLAMA, "4bit", gc=True), LLAMA)
    assert "transient" not in memory.features(quant, LLAMA, "unsloth")
    assert memory.features(quant, LLAMA, "axolotl")["act_quant"] == tokens * 32 * memory.layer_activation_bytes(
        LLAMA, "axolotl"
    )


def test_a_16bit_run_without_checkpointing_has_its_own_outside_term_and_forward_transient() -> None:
    plain = profile_for(LLAMA, "none", gc=False, batch=1, seq=4096)
    feats = memory.features(plain, LLAMA)
    assert "hidden_16bit" in feats and "hidden" not in feats
    # The forward's fp32 cast of the widest adapted input (with dropout: a second copy) against the backward's
    # three bf16 gradients of the MLP intermediate: the larger.
    assert feats["transient"] == 4096 * max(
        memory.recompute_peak_bytes(LLAMA, plain), 3 * 2.0 * LLAMA.intermediate_size
    )
    assert "hidden" in memory.features(profile_for(LLAMA, "4bit", gc=False), LLAMA)


def test_stacking_per_expert_checkpoints_grows_with_the_first_layers() -> None:
    from dataclasses import replace

    plain = profile_for(MIXTRAL, "none", gc=True)
    coef = memory.coefficients("peft")
    loads = []
    for layers in (1, 2, 4, 8):
        arch = replace(MIXTRAL, num_hidden_layers=layers)
        static = sum(memory.static_bytes(plain, arch, coef).values())
        per_layer = memory.expert_params(arch) / layers
        loads.append((memory.load_peak_bytes(plain, arch, coef) - static) / per_layer)
    assert loads == pytest.approx([2.7, 3.1, 3.9, 3.9])


def test_round_six_judges_the_model_on_five_new_families() -> None:
    """Round 6 (calibration/results/round6-heldout.jsonl): olmo3, seed_oss, hunyuan_v1_dense, flex_olmo and
    minimax_m2, never fitted."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round6"]
    assert peft["overall"]["runs"] >= 18 and peft["overall"]["failed_runs"] == 0
    assert {"olmo3", "seed_oss", "hunyuan_v1_dense", "flex_olmo", "minimax_m2"} <= set(peft["per_family"])
    assert peft["overall"]["median_abs_error"] <= 0.05 and peft["overall"]["worst_abs_error"] <= 0.10
    unsloth = fit_doc["unsloth_heldout_round6"]["overall"]
    assert unsloth["runs"] >= 12 and unsloth["failed_runs"] == 0


def test_unsloth_fast_path_prices_its_dequantized_weights_and_what_lies_outside_the_layer() -> None:
    quant = profile_for(LLAMA, "4bit", gc=True, batch=2, seq=1024)
    feats = memory.features(quant, LLAMA, "unsloth")
    # Two bf16 copies of the largest quantized weight (the fresh dequantization and Unsloth's scratch buffer).
    assert memory.dequant_bytes(LLAMA, quant, "unsloth") == 2.0 * LLAMA.hidden_size * LLAMA.intermediate_size
    assert feats["dequant"] == memory.dequant_bytes(LLAMA, quant, "unsloth")
    assert feats["outside_gc"] == 2 * 1024 * LLAMA.hidden_size
    assert "dequant" not in memory.features(quant, LLAMA) and "outside_gc" not in memory.features(quant, LLAMA)
    # FastModel families (Phi-3 here) keep the compiled MLP backward's extra 6I instead.
    phi = resolve_model("phi-3-mini-4k")
    fast_model = memory.features(profile_for(phi, "4bit", gc=True, batch=2, seq=1024), phi, "unsloth")
    assert fast_model["fastmodel_mlp"] == 2 * 1024 * 6.0 * phi.intermediate_size and "dequant" not in fast_model


def test_with_no_budget_an_moe_whose_experts_stay_16bit_starts_in_16bit() -> None:
    """bitsandbytes leaves fused experts 16-bit and PEFT casts them to fp32: 4-bit would cost more than 16-bit."""
    moe = suggest(Request(examples=1000, model="qwen3-30b-a3b"))
    assert moe.profile.quantization == "none"
    assert any("fused experts" in d.reason for d in moe.decisions if d.field == "quantization")
    quantized = moe.profile.model_copy(update={"quantization": "4bit"})
    assert moe.memory.estimated_gib < memory.total_gib(quantized, QWEN3_MOE)
    # Unsloth quantizes Qwen3-MoE's experts itself; dense models keep the guide's QLoRA default.
    assert suggest(Request(examples=1000, model="qwen3-30b-a3b", framework="unsloth")).profile.quantization == "4bit"
    assert suggest(Request(examples=1000, model="llama-3.1-8b")).profile.quantization == "4bit"


def test_round_seven_judges_the_final_model_on_two_more_families() -> None:
    """Round 7 (calibration/results/round7-heldout.jsonl): helium and stablelm, whole models, run after the model
    was final and never fitted."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round7"]
    assert peft["overall"]["runs"] >= 6 and peft["overall"]["failed_runs"] == 0
    assert {"helium", "stablelm"} <= set(peft["per_family"])
    assert peft["overall"]["median_abs_error"] <= 0.05 and peft["overall"]["worst_abs_error"] <= 0.10
    assert peft["overall"]["under_estimates_beyond_5pct"] == 0
    assert fit_doc["unsloth_heldout_round7"]["overall"]["runs"] >= 4


def test_round_eight_judges_four_moe_families_with_shared_experts() -> None:
    """Round 8 (calibration/results/round8-heldout.jsonl): qwen2_moe, hunyuan_v1_moe, glm4_moe and ernie4_5_moe,
    truncated, never fitted; their per-expert checkpoints were priced after it ran (reported before it)."""
    fit_doc = memory.calibration()["fit"]
    peft = fit_doc["peft_heldout_round8"]
    assert peft["overall"]["runs"] >= 20 and peft["overall"]["failed_runs"] == 0
    assert {"qwen2_moe", "hunyuan_v1_moe", "glm4_moe", "ernie4_5_moe"} <= set(peft["per_family"])
    assert peft["overall"]["median_abs_error"] <= 0.05 and peft["overall"]["under_estimates_beyond_5pct"] == 0
    assert fit_doc["unsloth_heldout_round8"]["overall"]["runs"] >= 15


def test_round_nine_judges_the_final_model_at_new_knobs() -> None:
    """Round 9 (calibration/results/round9-heldout.jsonl): round 8's configs and dots.llm1 at knobs no earlier run
    used, run after the model was final; no Unsloth run under-estimated by more than 5% (its median was 4.0% on its
    day's model; 9.2%, over, since FastModel's MoE layers keep their tensors at the traced price after round 11)."""
    fit_doc = memory.calibration()["fit"]
    unsloth = fit_doc["unsloth_heldout_round9"]
    assert unsloth["overall"]["runs"] >= 11 and "dots1" in unsloth["per_family"]
    assert unsloth["overall"]["median_abs_error"] <= 0.10 and unsloth["overall"]["under_estimates_beyond_5pct"] == 0
    assert fit_doc["peft_heldout_round9"]["overall"]["under_estimates_beyond_5pct"] == 0


def test_per_expert_checkpoints_of_the_shared_expert_families_stack_at_load() -> None:
    """One layer's experts are stacked in 16-bit beside the model while loading (measured in round 8: 2.0 bytes
    per parameter of the layer's experts with one layer, 3.3-3.9 with three or four)."""
    for name in ("qwen1.5-moe-a2.7b", "hunyuan-a13b", "glm-4.5-air", "ernie-4.5-21b-a3b", "dots.llm1"):
        arch = resolve_model(name)
        profile = profile_for(arch, quant="none", gc=True, batch=1, seq=256)
        coef = memory.coefficients("peft")
        static = sum(memory.static_bytes(profile, arch, coef).values())
        per_layer = memory.expert_params(arch) / arch.moe_layers
        assert memory.load_peak_bytes(profile, arch, coef) - static == pytest.approx(3.9 * per_layer), name


def _write_config(tmp_path, fields: dict[str, object]):  # type: ignore[no-untyped-def]
    import json

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(fields), encoding="utf-8")
    return resolve_model(str(folder))


_GLM45_AIR = {  # zai-org/GLM-4.5-Air's config.json, the fields the shape model reads
    "model_type": "glm4_moe",
    "architectures": ["Glm4MoeForCausalLM"],
    "hidden_size": 4096,
    "num_hidden_layers": 46,
    "num_attention_heads": 96,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "intermediate_size": 10944,
    "moe_intermediate_size": 1408,
    "n_routed_experts": 128,
    "n_shared_experts": 1,
    "num_experts_per_tok": 8,
    "first_k_dense_replace": 1,
    "vocab_size": 151552,
    "tie_word_embeddings": False,
}


def test_shared_experts_and_dense_layers_are_read_and_priced_layer_by_layer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The MLP names are given here: the glm4_moe record leaves them out (PEFT 0.21 moves them onto the experts).
    arch = dataclasses.replace(_write_config(tmp_path, _GLM45_AIR), mlp_modules=("gate_proj", "up_proj", "down_proj"))
    assert (arch.num_experts, arch.intermediate_size) == (128, 1408)
    assert (arch.shared_expert_intermediate_size, arch.dense_layers, arch.dense_intermediate_size) == (1408, 1, 10944)
    assert arch.moe_layers == 45
    # GLM-4.5-Air is published as 106B parameters in all.
    assert 105e9 < arch.total_params() < 108e9
    (sparse_n, sparse), (dense_n, dense) = arch.layer_groups()
    assert (sparse_n, dense_n) == (45, 1) and dense.num_experts is None and dense.intermediate_size == 10944
    # The shared expert's and the dense layer's modules are nn.Linear: named, adaptable, quantized.
    assert sparse.module_shapes()["gate_proj"] == (4096, 1408, 1)
    assert dense.module_shapes()["down_proj"] == (10944, 4096, 1)
    # Only the routed experts of the 45 sparse layers stay 16-bit under bitsandbytes.
    assert memory.expert_params(arch) == 45 * (3 * 4096 * 1408 * 128 + 4096 * 128)
    no_shared = dataclasses.replace(arch, shared_expert_intermediate_size=0, dense_layers=0, dense_intermediate_size=0)
    profile = profile_for(arch, quant="none", gc=False, batch=1, seq=1024).model_copy(
        update={"target_modules": ["q_proj", "gate_proj"]}
    )
    layer = memory.layer_activation_bytes(arch)
    assert layer - memory.layer_activation_bytes(no_shared) == pytest.approx(8 * 1408)
    act = memory.features(profile, arch)["act_16bit"]
    expected = 1024 * (45 * layer + memory.layer_activation_bytes(dense))
    assert act == pytest.approx(expected)
    # Adapters on gate_proj sit on the shared expert of 45 layers and on the dense layer's MLP.
    assert memory.lora_params(arch, profile) == profile.lora_r * (
        46 * (4096 + 12288) + 45 * (4096 + 1408) + (4096 + 10944)
    )


def test_per_layer_lists_and_qwen_moe_sparse_steps_are_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    hunyuan = {  # Hunyuan-MoE gives its MoE counts once per layer
        "model_type": "hunyuan_v1_moe",
        "hidden_size": 512,
        "num_hidden_layers": 4,
        "num_attention_heads": 8,
        "vocab_size": 1000,
        "num_experts": 16,
        "moe_topk": [2, 2, 2, 2],
        "moe_intermediate_size": [256, 256, 256, 256],
        "num_shared_expert": [1, 1, 1, 1],
        "use_mixed_mlp_moe": True,
    }
    arch = _write_config(tmp_path, hunyuan)
    assert (arch.num_experts_per_tok, arch.intermediate_size, arch.shared_expert_intermediate_size) == (2, 256, 256)
    qwen = {
        "model_type": "qwen2_moe",
        "hidden_size": 512,
        "num_hidden_layers": 6,
        "num_attention_heads": 8,
        "vocab_size": 1000,
        "num_experts": 8,
        "num_experts_per_tok": 2,
        "intermediate_size": 1024,
        "moe_intermediate_size": 128,
        "shared_expert_intermediate_size": 512,
        "decoder_sparse_step": 2,
        "mlp_only_layers": [3],
    }
    (tmp_path / "q").mkdir()
    arch = _write_config(tmp_path / "q", qwen)
    # Sparse where (n + 1) % 2 == 0 and n is not MLP-only: layers 1 and 5.
    assert (arch.moe_layers, arch.dense_layers, arch.dense_intermediate_size) == (2, 4, 1024)
    assert arch.shared_expert_gate and arch.shared_expert_intermediate_size == 512


def test_round_ten_judges_five_new_families_blind() -> None:
    """Round 10 (calibration/results/round10-heldout.jsonl): llama4_text, cohere, cohere2, gemma and ministral,
    planned and run after the model was final, never fitted.  Every run trained and none was under-estimated by more
    than 5%; PEFT's median is within 5% (its worst run, Llama 4 in 4-bit, is over: see calibration/REPORT.md)."""
    fit_doc = memory.calibration()["fit"]
    families = {"llama4_text", "cohere", "cohere2", "gemma", "ministral"}
    for framework in ("peft", "unsloth"):
        doc = fit_doc[f"{framework}_heldout_round10"]["overall"]
        assert doc["runs"] >= 15 and doc["failed_runs"] == 0, framework
        assert doc["under_estimates_beyond_5pct"] == 0, framework
        assert families <= set(fit_doc[f"{framework}_heldout_round10"]["per_family"]), framework
    assert fit_doc["peft_heldout_round10"]["overall"]["median_abs_error"] <= 0.05


@pytest.mark.parametrize(
    ("model_type", "layers", "price"),
    [("qwen3_moe", 1, 2.0), ("qwen3_moe", 2, 3.3), ("qwen3_moe", 3, 3.9), ("qwen3_moe", 48, 3.9),
     ("mixtral", 1, 2.7), ("mixtral", 2, 3.1), ("mixtral", 32, 3.9)],
)  # fmt: skip
def test_stacking_price_follows_the_checkpoint_pattern_and_depth(model_type: str, layers: int, price: float) -> None:
    """Measured 16-bit load stacking (bytes per parameter of one layer's experts): Qwen2-MoE's pattern 2.0 with one
    MoE layer, 3.3 with two of 128 experts (K-EXAONE; FlexOlmo's two of 7 held 2.0) and 3.3-3.9 from three; Mixtral's
    pattern 2.7 with one, 3.1 with two."""
    arch = dataclasses.replace(resolve_model("qwen3-30b-a3b"), model_type=model_type, num_hidden_layers=layers)
    assert memory.stacking_bytes_per_param(arch) == pytest.approx(price)
    if model_type == "qwen3_moe" and layers == 2:
        assert memory.stacking_bytes_per_param(dataclasses.replace(arch, num_experts=7)) == pytest.approx(2.0)


def test_llama4_routes_every_token_through_every_expert() -> None:
    """Llama4TextMoe runs all E experts on every token (scores 0 for the unchosen): its routed tensors are E copies.
    Unsloth replaces that forward with a top-k one (unsloth_zoo temporary_patches/llama4_moe.py): k copies there."""
    scout = resolve_model("llama-4-scout-17b-16e")
    assert scout.num_experts == 16 and scout.num_experts_per_tok == 1
    assert memory.routed_copies(scout) == 16 and memory.routed_copies(scout, "unsloth") == 1
    assert memory.mlp_activation_bytes(scout, "unsloth") < memory.mlp_activation_bytes(scout) / 5
    assert memory.routed_copies(resolve_model("qwen3-30b-a3b")) == 8
    top_k = dataclasses.replace(scout, model_type="qwen3_moe")
    assert memory.mlp_activation_bytes(scout) > 10 * memory.mlp_activation_bytes(top_k) / 2


def test_cohere_has_one_norm_per_layer_and_qk_norm_follows_the_checkpoint() -> None:
    """Cohere's parallel block normalizes once per layer; Command R+ (use_qk_norm) normalizes q and k, Command R not."""
    plus, r = resolve_model("command-r-plus"), resolve_model("command-r-v01")
    assert memory.norms_per_layer(plus) == memory.norms_per_layer(r) == 1
    assert memory.qk_norm(plus) and not memory.qk_norm(r)
    two_norms = dataclasses.replace(r, model_type="llama")
    assert memory.layer_activation_bytes(two_norms) - memory.layer_activation_bytes(r) == 6 * r.hidden_size


def test_round_eleven_judges_every_never_fitted_family_blind() -> None:
    """Round 11 (calibration/results/round11-heldout.jsonl): three families new to the catalog (solar_open, glm,
    internlm3) and the never-fitted families of rounds 6-10 at knobs no run used, planned and run after the model was
    final.  As measured: PEFT within 5% at the median, Unsloth not; two runs of each under by more than 5%."""
    fit_doc = memory.calibration()["fit"]
    new = {"solar_open", "glm", "internlm3"}
    peft = fit_doc["peft_heldout_round11"]
    assert peft["overall"]["runs"] >= 29 and peft["overall"]["failed_runs"] == 0
    assert new <= set(peft["per_family"]) and peft["overall"]["families"] >= 20
    assert peft["overall"]["median_abs_error"] <= 0.05
    unsloth = fit_doc["unsloth_heldout_round11"]
    assert unsloth["overall"]["runs"] >= 21 and {"solar_open", "glm"} <= set(unsloth["per_family"])
    assert "internlm3" not in unsloth["per_family"]  # Unsloth's transformers has no class for it


def test_unsloth_fast_path_rebuilds_a_checkpointed_layer_at_its_own_price() -> None:
    """The hand-written fast path (Llama, Mistral, Gemma, Qwen) and FastModel (the rest) price the recomputed layer
    with separate coefficients; PEFT keeps its own."""
    phi = resolve_model("phi-3-mini-4k")
    for arch, name in ((LLAMA, "recompute_fast"), (phi, "recompute")):
        profile = profile_for(arch, "4bit", gc=True, batch=2, seq=1024)
        feats = memory.features(profile, arch, "unsloth")
        assert name in feats and ({"recompute", "recompute_fast"} - {name}).isdisjoint(feats), arch.name
    assert "recompute_fast" not in memory.features(profile_for(LLAMA, "none", gc=True, batch=2, seq=1024), LLAMA)
    coef = memory.coefficients("unsloth")
    assert coef.recompute_fast < coef.recompute


def test_llama4_allocator_slack_is_priced_from_its_measured_runs() -> None:
    """Scout's round-10 PEFT runs: the slack was 0.6 of the E-copy block's price in bf16, about one top-k copy's in
    fp32 (4-bit base)."""
    scout = resolve_model("llama-4-scout-17b-16e")
    t = 2 * 1024
    bf16 = memory.reserved_slack(profile_for(scout, "none", gc=True, batch=2, seq=1024), scout, "peft")
    assert bf16 == pytest.approx(0.75 * t * 2 * scout.num_experts * scout.intermediate_size * 2.0)
    fp32 = memory.reserved_slack(profile_for(scout, "4bit", gc=True, batch=2, seq=1024), scout, "peft")
    assert fp32 == pytest.approx(1.2 * t * 2 * 1 * scout.intermediate_size * 2.0 * 2.0)


def test_unsloth_prices_an_moe_layers_backward_under_checkpointing_and_keeps_moe_layers_at_the_traced_price() -> None:
    """FastModel's MoE backward holds its grouped gate/up output's and activation's gradients (6kI per token) with
    checkpointing as without it; what its MoE layers keep is held at the traced 1.0, not fitted."""
    moe = resolve_model("qwen3-30b-a3b")
    profile = profile_for(moe, "none", gc=True, batch=2, seq=1024)
    feats = memory.features(profile, moe, "unsloth")
    assert feats["fastmodel_mlp"] == 2 * 1024 * 6.0 * moe.num_experts_per_tok * moe.intermediate_size
    assert "fastmodel_mlp" not in memory.features(profile, moe, "peft")
    assert memory.coefficients("unsloth").moe_kept == 1.0


def test_round_twelve_judges_olmo_and_two_new_cuts_blind() -> None:
    """Round 12 (calibration/results/round12-heldout.jsonl): OLMo 1, new to the catalog, at every knob and new cuts of
    Command R+ and GLM-4.5, planned and run on the model of round 11's end, before any change to it.  As measured:
    every run trained, none was under-estimated, PEFT's worst within 10%; the misses are over-estimates."""
    fit_doc = memory.calibration()["fit"]
    for framework, runs in (("peft", 6), ("unsloth", 5)):
        doc = fit_doc[f"{framework}_heldout_round12"]
        assert doc["overall"]["runs"] >= runs and doc["overall"]["failed_runs"] == 0, framework
        assert doc["overall"]["under_estimates_beyond_5pct"] == 0, framework
        assert {"olmo", "cohere", "glm4_moe"} <= set(doc["per_family"]), framework
        assert doc["per_family"]["olmo"]["runs"] >= 3, framework
    assert fit_doc["peft_heldout_round12"]["overall"]["worst_abs_error"] <= 0.10


def test_round_thirteen_judges_two_new_families_blind() -> None:
    """Round 13 (calibration/results/round13-heldout.jsonl): VaultGemma (eager under PEFT) and North Mini Code
    (cohere2_moe), new to the catalog, on the model fitted to every earlier round, planned and run after it was final.
    PEFT met the three goals as run (2.4% median, 4.5% worst, none under); Unsloth was over on every run but none under
    (12.0% median as run; North's checkpointing fact, from its trace, was added after)."""
    fit_doc = memory.calibration()["fit"]
    peft, unsloth = fit_doc["peft_heldout_round13"], fit_doc["unsloth_heldout_round13"]
    for doc, runs in ((peft, 8), (unsloth, 6)):
        assert doc["overall"]["runs"] >= runs and doc["overall"]["failed_runs"] == 0
        assert doc["overall"]["under_estimates_beyond_5pct"] == 0
        assert {"vaultgemma", "cohere2_moe"} <= set(doc["per_family"])
    assert peft["overall"]["median_abs_error"] <= 0.05 and peft["overall"]["worst_abs_error"] <= 0.10


def test_unsloth_prices_the_last_moe_layer_apart_and_north_frees_its_layers() -> None:
    """Under checkpointing FastModel's MoE layers keep their tensors at the traced price, all but the last, whose
    backward holds the peak (its own fitted price, below the traced one).  North Mini Code's layers keep nothing
    past the checkpoint (traced)."""
    qwen = resolve_model("qwen3-30b-a3b")
    profile = profile_for(qwen, "none", gc=True, batch=2, seq=1024)
    feats = memory.features(profile, qwen, "unsloth")
    one = 2 * 1024 * memory.moe_layer_kept_bytes(qwen, profile)
    assert feats["moe_kept_last"] == pytest.approx(one)
    assert feats["moe_kept"] == pytest.approx(one * (qwen.moe_layers - 1))
    coef = memory.coefficients("unsloth")
    assert coef.moe_kept == 1.0 and 0.0 < coef.moe_kept_last < 1.0
    north = resolve_model("north-mini-code-1.0")
    north_feats = memory.features(profile_for(north, "none", gc=True, batch=2, seq=1024), north, "unsloth")
    assert "moe_kept" not in north_feats and "moe_kept_last" not in north_feats
    assert memory.norms_per_layer(north) == 1


def test_olmo_layers_are_priced_as_rmsnorm_layers_on_fastmodel() -> None:
    """OLMo 1's weightless fp32 LayerNorm kept no more than an RMSNorm layer's blocks (round 12, without
    checkpointing); StableLM's LayerNorm keeps 10 bytes per hidden unit more (traced)."""
    olmo = resolve_model("olmo-7b-hf")
    profile = profile_for(olmo, "none", gc=False, batch=1, seq=1024)
    llama_shaped = dataclasses.replace(olmo, model_type="llama")
    assert memory.fastmodel_layer_bytes(olmo, profile) == memory.fastmodel_layer_bytes(llama_shaped, profile)
    stablelm = resolve_model("stablelm-2-1.6b")
    as_llama = dataclasses.replace(stablelm, model_type="llama")
    extra = memory.fastmodel_layer_bytes(stablelm, profile) - memory.fastmodel_layer_bytes(as_llama, profile)
    assert extra == 10 * stablelm.hidden_size


def test_round_fourteen_prices_a_whole_moe_on_peft() -> None:
    """Round 14, a depth check: OLMoE-1B-7B at all 16 layers (the fit saw 4-layer cuts).  PEFT: none under."""
    doc = memory.calibration()["fit"]["peft_heldout_round14"]["overall"]
    assert doc["runs"] == 3 and doc["failed_runs"] == 0 and doc["under_estimates_beyond_5pct"] == 0


def test_round_fourteen_prices_a_whole_moe_on_unsloth() -> None:
    """Round 14's whole OLMoE on Unsloth was 13.8% under in 16-bit until its traces (traces14, traces15) showed the
    routed down-projection output kept by every 16-bit layer of a family that reaches the experts interface; priced,
    none of its runs is under by more than 5% (in-sample now: the term was set having seen it)."""
    doc = memory.calibration()["fit"]["unsloth_heldout_round14"]["overall"]
    assert doc["runs"] == 3 and doc["under_estimates_beyond_5pct"] == 0 and doc["worst_abs_error"] < 0.05


@pytest.mark.parametrize(
    ("model", "keeps"),
    [("olmoe-1b-7b", True), ("granite-3.1-3b-a800m", True), ("qwen3-30b-a3b", False), ("mixtral-8x7b-v0.1", False)],
)
def test_unsloth_16bit_moe_layers_keep_the_routed_output_only_off_unsloths_own_forward(model: str, keeps: bool) -> None:
    """Traced (traces14, traces15): in 16-bit with attention adapters, OLMoE's and Granite-MoE's layers keep a
    ``t x k x h`` bf16 block, Qwen3-MoE's and Mixtral's (whose MoE forward Unsloth patches) do not; 4-bit keeps none."""
    arch = resolve_model(model)
    k, h = memory.routed_copies(arch, "unsloth"), arch.hidden_size
    kept = {
        quant: memory.moe_layer_kept_bytes(arch, profile_for(arch, quant, gc=True, batch=2, seq=1024))
        for quant in ("none", "4bit")
    }
    assert kept["none"] - kept["4bit"] == pytest.approx(2.0 * k * h if keeps else 0.0)


def test_an_ungated_mlp_is_priced_by_what_its_activation_saves() -> None:
    """Apertus's MLP is ``down(xIELU(up(x)))``: two h x I matrices.  Traced (traces15b): each 16-bit PEFT layer keeps
    the bf16 up output, the ``x > 0`` mask and two fp32 t x I blocks (11 bytes an element), 13 with the activation
    output's bf16 copy, where a gated MLP is priced at 8; with an fp32 residual stream 13 against 12; the backward
    holds 18 (fp32: 20) at its peak, against a gated MLP's three gradients.  Unsloth's compiled layer keeps the up
    output where a gated one keeps gate and up."""
    apertus = resolve_model("apertus-8b")
    i, h = apertus.intermediate_size, apertus.hidden_size
    assert not apertus.gated_mlp and apertus.mlp_matrices == 2
    gated = dataclasses.replace(apertus, mlp_modules=("gate_proj", "up_proj", "down_proj"))
    assert gated.gated_mlp and gated.linear_params_per_layer() - apertus.linear_params_per_layer() == h * i
    assert (memory.mlp_activation_bytes(apertus), memory.mlp_activation_bytes(gated)) == (13 * i, 8 * i)
    assert memory.layer_activation_bytes_fp32(apertus) - memory.layer_activation_bytes_fp32(gated) == i
    nogc = profile_for(apertus, "none", gc=False, batch=1, seq=1024)
    assert memory.peak_transient_bytes(apertus, nogc) == 18 * i
    assert memory.peak_transient_bytes(apertus, profile_for(apertus, "4bit", gc=False)) == 20 * i
    assert memory.peak_transient_bytes(gated, nogc) == max(6 * i, memory.recompute_peak_bytes(gated, nogc))
    quant_gc = memory.features(profile_for(apertus, "4bit", gc=True, batch=1, seq=1024), apertus, "peft")
    assert quant_gc["recompute_peak"] == 1024 * 20 * i
    assert memory.fastmodel_layer_bytes(gated, nogc) - memory.fastmodel_layer_bytes(apertus, nogc) == 2 * i
    assert memory.mlp_activation_bytes(dataclasses.replace(apertus, model_type="gpt_neox")) == 4 * i


def test_round_fifteen_judges_apertus_and_a_whole_granite_moe() -> None:
    """Round 15 (never fitted): Apertus on both targets and Granite-MoE whole on Unsloth, every run trained."""
    fit = memory.calibration()["fit"]
    peft, unsloth = fit["peft_heldout_round15"], fit["unsloth_heldout_round15"]
    assert peft["overall"]["runs"] == 8 and unsloth["overall"]["runs"] == 8
    assert peft["overall"]["failed_runs"] == 0 and unsloth["overall"]["failed_runs"] == 0
    assert peft["overall"]["under_estimates_beyond_5pct"] == 0
    assert unsloth["per_family"]["granitemoe"]["worst_abs_error"] < 0.06


def test_round_seventeen_judges_nemotron_on_the_final_model() -> None:
    """Round 17 (never fitted, run on the final model of its day): Nemotron (Minitron 4B) whole and cut; every run
    trained. As run, Unsloth was within 1.4% and PEFT's worst 5.1% (under); on today's model (the squared-ReLU and
    LayerNorm1P terms set from its traces, in-sample) both within 5.5% and none under."""
    fit = memory.calibration()["fit"]
    peft, unsloth = fit["peft_heldout_round17"]["overall"], fit["unsloth_heldout_round17"]["overall"]
    assert (peft["runs"], unsloth["runs"], peft["failed_runs"], unsloth["failed_runs"]) == (6, 4, 0, 0)
    assert unsloth["worst_abs_error"] < 0.055 and unsloth["under_estimates_beyond_5pct"] == 0
    assert peft["worst_abs_error"] < 0.04 and peft["under_estimates_beyond_5pct"] == 0


def test_squared_relu_and_layernorm1p_are_priced_as_traced() -> None:
    """Nemotron and Arcee share the squared-ReLU terms (traces18.jsonl); only Nemotron's LayerNorm1P is priced as
    keeping no more than its statistics, so the same shapes cost Arcee more than Nemotron."""
    nemotron = resolve_model("minitron-4b")
    arcee = dataclasses.replace(nemotron, model_type="arcee", name="arcee-shaped")
    assert memory.ungated_activation(nemotron) == memory.ungated_activation(arcee)
    assert memory.ungated_activation(nemotron).backward == 17.0
    h = nemotron.hidden_size
    assert memory.layer_activation_bytes(arcee) - memory.layer_activation_bytes(nemotron) == 12 * h
    assert memory.layer_activation_bytes_fp32(arcee) - memory.layer_activation_bytes_fp32(nemotron) == 4 * h


def test_rounds_eighteen_and_nineteen_judge_arcee_and_k_exaone() -> None:
    """Round 18 (two families new to the catalog, as run, then seen) and round 19 (new cuts, run on the final model):
    every run trained; on today's model round 18 is in-sample within 8% and none under, and round 19's PEFT runs
    none under."""
    fit = memory.calibration()["fit"]
    r18 = fit["peft_heldout_round18"]["overall"], fit["unsloth_heldout_round18"]["overall"]
    r19 = fit["peft_heldout_round19"]["overall"], fit["unsloth_heldout_round19"]["overall"]
    assert [(o["runs"], o["failed_runs"]) for o in (*r18, *r19)] == [(10, 0), (6, 0), (7, 0), (5, 0)]
    assert all(o["worst_abs_error"] < 0.08 and o["under_estimates_beyond_5pct"] == 0 for o in r18)
    assert r19[0]["under_estimates_beyond_5pct"] == 0 and r19[0]["median_abs_error"] < 0.05


def test_round_twenty_judges_afmoe_on_peft() -> None:
    """Round 20 (AFMoE new to the catalog, never fitted, run on the final model): its three PEFT runs trained, within
    7%; its two Unsloth runs were cut off by the session's device time (none recorded)."""
    fit = memory.calibration()["fit"]
    peft = fit["peft_heldout_round20"]["overall"]
    assert (peft["runs"], peft["failed_runs"]) == (3, 0) and peft["worst_abs_error"] < 0.07


def test_gated_attention_prices_its_sigmoid_and_its_matrix() -> None:
    """AFMoE's attention gate: one more h x q matrix a layer in the parameter count, and its sigmoid output kept
    (2q in a bf16 layer, 4q in PEFT's fp32 one)."""
    mini = resolve_model("trinity-mini")
    plain = dataclasses.replace(mini, model_type="glm4_moe")
    assert mini.linear_params_per_layer() - plain.linear_params_per_layer() == mini.hidden_size * mini.q_dim
    q = mini.q_dim
    extra_bf16 = memory.layer_activation_bytes(mini) - memory.layer_activation_bytes(plain)
    extra_fp32 = memory.layer_activation_bytes_fp32(mini) - memory.layer_activation_bytes_fp32(plain)
    # AFMoE also has four norms and QK-norm, which GLM-4.5's record does not price
    h, kv = mini.hidden_size, mini.kv_dim
    assert extra_bf16 == 2 * q + 6 * h + 6 * (q + kv)
    assert extra_fp32 == 4 * q + 8 * h + 4 * (q + kv)


def test_unsloth_caveat_says_where_no_unsloth_run_was_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """A family with no Unsloth run measured gets a caveat that says so; a measured FastModel family's caveat does
    not (AFMoE's runs of round 20 were measured a session later, so none is listed today)."""
    assert not memory._UNMEASURED_ON_UNSLOTH
    measured = memory.estimate_caveat(resolve_model("trinity-mini"), "unsloth")
    assert measured is not None and "has been measured" not in measured
    monkeypatch.setattr(memory, "_UNMEASURED_ON_UNSLOTH", frozenset({"afmoe"}))
    afmoe = memory.estimate_caveat(resolve_model("trinity-mini"), "unsloth")
    assert afmoe is not None and "no Unsloth run of afmoe has been measured" in afmoe
    assert memory.estimate_caveat(resolve_model("trinity-mini"), "peft") is None


def test_latent_attention_prices_what_its_attention_saves() -> None:
    """Multi-head latent attention (read from DeepSeek-V3's modeling before any run): the attention saves the per-head
    query and key (heads x qk), the value as a view that keeps kv_b_proj's whole output (heads x (nope + v)) and the
    output (heads x v), against four q-wide blocks of ordinary attention; its two latents are normalized as the
    hidden state is."""
    by_name = {a.name: a for a in ARCHITECTURES}
    ds, glm = by_name["deepseek-v3"], by_name["glm-4.7-flash"]
    # DeepSeek-V3: qk 192, nope 128, v 128: (384 + 256 + 128) / 768; GLM-4.7-Flash: qk 256, nope 192, v 256.
    assert memory.attention_io_factor(ds) == 1.0
    assert memory.attention_io_factor(glm) == (512 + 448 + 256) / 1024
    assert memory.attention_io_factor(by_name["llama-3.1-8b"]) == 1.0
    assert (memory.latent_width(ds), memory.latent_width(by_name["moonlight-16b-a3b"])) == (1536 + 512, 512)
    plain = dataclasses.replace(glm, kv_lora_rank=0, q_lora_rank=0)
    assert memory.layer_activation_bytes(glm) - memory.layer_activation_bytes(plain) == pytest.approx(
        8 * glm.q_dim * (memory.attention_io_factor(glm) - 1) + 6 * (768 + 512)
    )
    assert memory.layer_activation_bytes_fp32(glm) - memory.layer_activation_bytes_fp32(plain) == pytest.approx(
        9 * glm.q_dim * (memory.attention_io_factor(glm) - 1) + 4 * (768 + 512)
    )


#: The catalog entry whose linear-attention layer each traced family's rows are priced on.
_MIXER_ENTRY = {"qwen3_5": "qwen3.5-9b", "qwen3_next": "qwen3-next-80b-a3b"}


def _mixer_arch(  # type: ignore[no-untyped-def]
    hidden: int, key_heads: int, value_heads: int, key_dim: int, value_dim: int, family: str = "qwen3_5"
):
    linear = next(g for _, g in resolve_model(_MIXER_ENTRY[family]).layer_groups() if g.is_linear_attention)
    return dataclasses.replace(
        linear,
        hidden_size=hidden,
        linear_num_key_heads=key_heads,
        linear_num_value_heads=value_heads,
        linear_key_head_dim=key_dim,
        linear_value_head_dim=value_dim,
    )


def test_gated_deltanet_price_is_what_autograd_saves_per_token() -> None:
    """calibration/results/linear-mixer-trace.json: the mixer's saved tensors counted by autograd's hooks on the CPU
    under bf16 autocast, at three sets of widths and both input dtypes; the price matches each slope to the byte.
    Qwen3-Next's mixer (its fused in_proj_qkvz / in_proj_ba; rows marked ``"family": "qwen3_next"``) at the same
    three and the 80B's own widths saves what Qwen3.5's does, byte for byte: the one price holds for both."""
    import json
    from pathlib import Path

    doc = json.loads((Path(__file__).resolve().parents[1] / "calibration/results/linear-mixer-trace.json").read_text())
    families = [row.get("family", "qwen3_5") for row in doc["rows"]]
    assert (families.count("qwen3_5"), families.count("qwen3_next")) == (6, 8)
    for row in doc["rows"]:
        family = row.get("family", "qwen3_5")
        arch = _mixer_arch(
            row["hidden"], row["key_heads"], row["value_heads"], row["key_head_dim"], row["value_head_dim"], family
        )
        assert arch.model_type == ("qwen3_next" if family == "qwen3_next" else "qwen3_5_text")
        price = memory.linear_attention_bytes(arch, fp32=row["input"] == "fp32")
        assert price == pytest.approx(row["bytes_per_token"], rel=1e-3), row
        # What the price leaves out is the same for both families: Hv / 16 bytes a token (4 bytes a head a chunk).
        assert row["bytes_per_token"] - price == row["value_heads"] / 16, row
    # The 80B's own mixer (hidden 2048; 16 key heads, 32 value heads of 128), as the catalog entry prices it.
    linear = next(g for _, g in resolve_model("qwen3-next-80b-a3b").layer_groups() if g.is_linear_attention)
    assert (memory.linear_attention_bytes(linear), memory.linear_attention_bytes(linear, fp32=True)) == (
        390_208.0,
        398_400.0,
    )
    own = [r for r in doc["rows"] if r.get("family") == "qwen3_next" and r["hidden"] == 2048 and r["key_heads"] == 16]
    assert sorted(r["bytes_per_token"] for r in own) == [390_210.0, 398_402.0]


def test_gated_deltanet_mixer_is_its_own_unfitted_term_on_peft() -> None:
    # Without checkpointing the mixers leave the fitted act_* term (0.72 for 16-bit, fitted on softmax attention).
    arch = resolve_model("qwen3.5-9b")
    for quant in ("none", "4bit"):
        profile = profile_for(arch, quant, gc=False, batch=1, seq=1024)
        feats = memory.features(profile, arch, "peft")
        linear = next(g for _, g in arch.layer_groups() if g.is_linear_attention)
        expected = 1024 * arch.linear_attention_layers * memory.linear_attention_bytes(linear, fp32=quant != "none")
        assert feats["linear_mixer"] == pytest.approx(expected)
        assert memory.coefficients("peft").linear_mixer == 1.0
    dense = memory.features(profile_for(LLAMA, "none", gc=False), LLAMA, "peft")
    assert "linear_mixer" not in dense
    assert "linear_mixer" not in memory.features(profile_for(arch, "none", gc=False), arch, "unsloth")


def test_recomputed_gated_deltanet_layer_prices_its_mixer_once() -> None:
    """With checkpointing the widest layer is rebuilt: a Gated DeltaNet layer's mixer goes to the unfitted
    linear_mixer term at its traced bytes (fp32 where the fallbacks compute in fp32: under a quantized base's fp32
    residual stream, the fp32 price, not twice the bf16 one), the rest of the layer to the recompute term, doubled
    in fp32 as any layer's.  Round 24 (blind) had priced the whole layer twice over: +11.7 % on Qwen3.5-27B 4-bit."""
    arch = resolve_model("qwen3.5-27b")
    linear = next(g for _, g in arch.layer_groups() if g.is_linear_attention)
    for quant, width, name in (("none", 1.0, "recompute"), ("4bit", 2.0, "recompute_quant")):
        profile = profile_for(arch, quant, gc=True, batch=2, seq=1024)
        feats = memory.features(profile, arch, "peft")
        mixer = memory.linear_attention_bytes(linear, fp32=quant != "none")
        assert feats["linear_mixer"] == pytest.approx(2048 * mixer)
        rest = memory.layer_activation_bytes(linear, "peft") - memory.linear_attention_bytes(linear)
        rest += memory.dropout_bytes(linear, profile, "peft")
        assert feats[name] == pytest.approx(2048 * rest * width)
    # Other paths and families are priced as before.
    unsloth = memory.features(profile_for(arch, "4bit", gc=True), arch, "unsloth")
    assert "linear_mixer" not in unsloth
    assert "linear_mixer" not in memory.features(profile_for(LLAMA, "4bit", gc=True), LLAMA, "peft")
