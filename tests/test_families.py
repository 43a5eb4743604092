"""Family records: each agrees with what the real transformers builds, and every catalog entry has one.

The integration half runs ``tests/tools/probe_families.py`` in the ``train`` tool env (tiny random models of
every family, bitsandbytes 4-bit / 8-bit loads on the CPU) and compares each record field by field, so a
wrong record (sdpa claimed for Gemma-2, experts claimed quantized) turns CI red.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from test_family_matrix import MATRIX_MODELS, TOOLS, TRAIN_PY, need, tool

from ftguide import versions
from ftguide.catalog import ARCHITECTURES, without_query_latent
from ftguide.catalog.families import (
    ATTN_IMPLEMENTATIONS,
    BY_TYPE,
    FAMILIES,
    TRANSFORMERS_PROBED,
    Family,
    UnknownFamily,
    family_of,
)
from ftguide.errors import InputError

# --------------------------------------------------------------------------------------- plain records


def test_family_of_finds_each_record_and_refuses_unknown_types() -> None:
    for family in FAMILIES:
        assert family_of(family.model_type) is family
        assert family_of(family.model_type.upper()) is family
    with pytest.raises(UnknownFamily, match=r"'gemma9' has no family record.*closest: .*gemma2") as info:
        family_of("gemma9")
    assert isinstance(info.value, InputError)
    assert "llama" in str(info.value)  # names the known families


def test_records_are_consistent() -> None:
    assert len(BY_TYPE) == len(FAMILIES)  # one record per model_type
    for family in FAMILIES:
        assert family.attention_modules and family.min_modules, family.model_type
        assert set(family.min_modules) <= set(family.attention_modules), family.model_type
        # A name in both (AFMoE's attention gate is a gate_proj) only where PEFT moves the MLP names, and then it is
        # not one ftguide adapts.
        shared = set(family.attention_modules) & set(family.mlp_modules)
        assert not shared or family.peft_moves_mlp_targets, family.model_type
        assert not set(family.targetable_attention_modules) & set(family.mlp_modules), family.model_type
        assert set(family.attn_implementations) <= set(ATTN_IMPLEMENTATIONS)
        assert family.default_attn in family.attn_implementations
        assert (family.eager_reason is None) == family.accepts("sdpa"), family.model_type
        if family.is_moe:
            assert family.expert_parameters and family.router_module, family.model_type
            assert set(family.experts_quantized) == {"4bit", "8bit"}, family.model_type
        else:
            assert not family.expert_parameters and not family.experts_quantized, family.model_type
    assert family_of("gemma2").default_attn == "eager"
    assert family_of("gpt_oss").default_attn == "eager"
    assert family_of("llama").default_attn == "sdpa"
    assert not family_of("mixtral").quantizes_experts("4bit")
    assert family_of("llama").quantizes_experts("4bit")


def test_vaultgemma_renders_eager_attention_though_its_checkpoint_sets_no_soft_cap() -> None:
    """VaultGemmaForCausalLM refuses sdpa on transformers 5.23 whatever the config's caps (google/vaultgemma-1b sets
    both to null), so the PEFT script and the Axolotl YAML ask for eager; the catalog entry keeps the released null
    cap, the record the config class's defaults.  Axolotl's 5.16.1 class still accepts sdpa (as its Gemma-2 does)."""
    from conftest import run_cli

    family, entry = family_of("vaultgemma"), next(a for a in ARCHITECTURES if a.name == "vaultgemma-1b")
    assert family.default_attn == "eager" and family.accepts("flex_attention")
    assert (family.final_logit_softcapping, entry.final_logit_softcapping) == (30.0, None)
    assert (entry.num_attention_heads * entry.head_dim, entry.hidden_size) == (1024, 1152)
    peft = run_cli("suggest", "-n", "800", "--model", "vaultgemma-1b", "--emit", "peft")
    assert peft.returncode == 0 and "'attn_implementation': 'eager'" in peft.stdout
    axolotl = run_cli("suggest", "-n", "800", "--model", "vaultgemma-1b", "--emit", "axolotl")
    assert axolotl.returncode == 0 and "\nattn_implementation: eager\n" in axolotl.stdout
    modeling = "lib/python3*/site-packages/transformers/models/vaultgemma/modeling_vaultgemma.py"
    for env, supports_sdpa in (("train", False), ("axolotl", True)):
        found = sorted((ROOT / ".toolenvs" / env).glob(modeling))
        if found:
            assert f"_supports_sdpa = {supports_sdpa}" in found[0].read_text(encoding="utf-8"), env


def test_families_module_imports_without_heavy_packages() -> None:
    code = (
        "import sys; import ftguide.catalog.families as f; "
        "heavy = {'torch', 'rich', 'jinja2', 'typer', 'pydantic', 'yaml', 'transformers'} & set(sys.modules); "
        "print(sorted(heavy)); assert not heavy, heavy; print(len(f.FAMILIES))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT / "src")}
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: a.name)
def test_every_catalog_entry_has_its_family_and_agrees_with_it(arch) -> None:  # type: ignore[no-untyped-def]
    family = family_of(arch.model_type)
    assert arch.architecture == family.architecture
    assert arch.decoder_layer == family.decoder_layer
    expected = family.targetable_attention_modules
    expected_min = family.min_modules
    if arch.latent_attention and not arch.q_lora_rank:  # Moonlight: one q_proj, no query latent
        expected, expected_min = without_query_latent(expected), without_query_latent(expected_min)
    assert arch.attention_modules == expected
    assert arch.mlp_modules == family.targetable_mlp_modules
    assert arch.min_modules == expected_min
    assert (arch.num_experts is not None) == family.is_moe
    if family.final_logit_softcapping is None:
        assert arch.final_logit_softcapping is None
    if family.model_type in ("qwen2", "gpt_oss"):
        assert arch.attention_bias


def test_every_catalog_family_has_a_matrix_cell() -> None:
    """A family is in the catalog only with its cell in the family matrix (tests/test_family_matrix.py)."""
    in_catalog = {a.model_type for a in ARCHITECTURES}
    assert in_catalog == set(MATRIX_MODELS)
    for model_type, name in MATRIX_MODELS.items():
        assert next(a for a in ARCHITECTURES if a.name == name).model_type == model_type


# ------------------------------------------------------------------------- probed from transformers


def expected_from_probe(probe: dict[str, Any]) -> dict[str, Any]:
    """The record fields a probe result implies (the rules of the module docstring of families.py)."""
    accepted = tuple(i for i in ATTN_IMPLEMENTATIONS if probe["attn"][i] in ("ok", "kernel-missing"))
    flash = probe["attn_errors"].get("flash_attention_2", "")
    return {
        "architecture": probe["architecture"],
        "decoder_layer": probe["decoder_layer"],
        "attention_modules": frozenset(probe["attention_modules"]),
        "mlp_modules": frozenset(probe["mlp_modules"]),
        "attn_implementations": accepted,
        "default_attn": "sdpa" if "sdpa" in accepted else "eager",
        "eager_reason": probe["attn_errors"].get("sdpa") if probe["attn"]["sdpa"] == "refused" else None,
        "flash_kernel_named": probe["attn"]["flash_attention_2"] != "redirected" or " swaps " in flash,
        "expert_layout": probe["expert_layout"],
        "expert_parameters": tuple(probe["expert_parameters"]),
        "experts_quantized": probe["experts_quantized"],
        "router_module": probe["router_module"],
        "gate_modules": tuple(probe["gate_linears"]),
        "final_logit_softcapping": probe["final_logit_softcapping"],
        "attn_logit_softcapping": probe["attn_logit_softcapping"],
        "tie_word_embeddings": probe["tie_word_embeddings"],
        "decoder_path": probe["decoder_path"],
        "names_outside_decoder": tuple(probe["names_outside_decoder"]),
        "supports_gradient_checkpointing": probe["gradient_checkpointing"],
        "peft_moves_mlp_targets": probe["peft_moves_mlp_targets"],
        "causal_lm_auto": probe.get("causal_lm_auto", True),  # recorded from the mistral4 probe on
    }


def record_fields(family: Family, probe: dict[str, Any]) -> dict[str, Any]:
    flash = probe["attn_errors"].get("flash_attention_2", "")
    return {
        "architecture": family.architecture,
        "decoder_layer": family.decoder_layer,
        "attention_modules": frozenset(family.attention_modules),
        "mlp_modules": frozenset(family.mlp_modules),
        "attn_implementations": family.attn_implementations,
        "default_attn": family.default_attn,
        "eager_reason": family.eager_reason,
        "flash_kernel_named": probe["attn"]["flash_attention_2"] != "redirected"
        or (family.flash_kernel is not None and f" swaps flash_attention_2 for {family.flash_kernel} " in flash),
        "expert_layout": family.expert_layout,
        "expert_parameters": family.expert_parameters,
        "experts_quantized": dict(family.experts_quantized),
        "router_module": family.router_module,
        "gate_modules": family.gate_modules,
        "final_logit_softcapping": family.final_logit_softcapping,
        "attn_logit_softcapping": family.attn_logit_softcapping,
        "tie_word_embeddings": family.tie_word_embeddings,
        "decoder_path": family.decoder_path,
        "names_outside_decoder": family.names_outside_decoder,
        "supports_gradient_checkpointing": family.supports_gradient_checkpointing,
        "peft_moves_mlp_targets": family.peft_moves_mlp_targets,
        "causal_lm_auto": family.causal_lm_auto,
    }


def disagreements(family: Family, probe: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field -> (record, probe) for every field where the record says something else than transformers."""
    want = expected_from_probe(probe)
    have = record_fields(family, probe)
    return {key: (have[key], want[key]) for key in want if have[key] != want[key]}


@pytest.fixture(scope="module")
def probed() -> dict[str, Any]:
    need(TRAIN_PY)
    done = tool(TRAIN_PY, str(TOOLS / "probe_families.py"), timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


@pytest.mark.integration
def test_the_probe_ran_on_the_pinned_stack(probed: dict[str, Any]) -> None:
    assert probed["versions"]["transformers"] == versions.TRANSFORMERS == TRANSFORMERS_PROBED
    assert probed["versions"]["bitsandbytes"] == versions.BITSANDBYTES
    assert probed["versions"]["peft"] == versions.PEFT
    assert set(probed["families"]) == set(BY_TYPE)  # a record per probed family, a probe per record


@pytest.mark.integration
@pytest.mark.parametrize("model_type", list(BY_TYPE))
def test_record_agrees_with_transformers(probed: dict[str, Any], model_type: str) -> None:
    probe = probed["families"][model_type]
    assert probe["model_type"] == model_type
    assert disagreements(family_of(model_type), probe) == {}
    if probe["expert_layout"]:  # the probe saw bitsandbytes quantize the attention, so "experts stay" is real
        assert probe["linear_quantized"] == {"4bit": True, "8bit": True}


@pytest.mark.integration
def test_a_wrong_record_is_caught(probed: dict[str, Any]) -> None:
    """The comparison has teeth: sdpa forced on Gemma-2, quantized experts on Mixtral, a lost module name."""
    gemma2, mixtral, phi3 = (family_of(t) for t in ("gemma2", "mixtral", "phi3"))
    forced = dataclasses.replace(gemma2, attn_implementations=ATTN_IMPLEMENTATIONS, eager_reason=None)
    assert set(disagreements(forced, probed["families"]["gemma2"])) == {
        "attn_implementations",
        "default_attn",
        "eager_reason",
    }
    quantized = dataclasses.replace(mixtral, experts_quantized={"4bit": True, "8bit": True})
    assert set(disagreements(quantized, probed["families"]["mixtral"])) == {"experts_quantized"}
    llama_names = dataclasses.replace(phi3, attention_modules=("q_proj", "k_proj", "v_proj", "o_proj"))
    assert set(disagreements(llama_names, probed["families"]["phi3"])) == {"attention_modules"}
    no_kernel = dataclasses.replace(family_of("gpt_oss"), flash_kernel=None)
    assert set(disagreements(no_kernel, probed["families"]["gpt_oss"])) == {"flash_kernel_named"}


@pytest.mark.integration
def test_probe_covers_every_tiny_model_family() -> None:
    sys.path.insert(0, str(Path(TOOLS)))
    try:
        from make_tiny_model import FAMILIES as TINY
    finally:
        sys.path.remove(str(Path(TOOLS)))
    assert set(TINY) == set(BY_TYPE)


def test_cohere2_moe_agrees_with_its_committed_probe_and_adapts_the_attention_only() -> None:
    """Cohere2-MoE (North Mini Code): the record agrees with the committed 5.23 probe (fused experts, bitsandbytes
    leaves them, PEFT 0.21 moves gate/up/down_proj onto them), so both targets adapt q/k/v/o only; its truncated
    calibration config reads with the dense first layer at its own width and the experts at theirs."""
    from conftest import run_cli

    from ftguide.catalog import read_config

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    family = family_of("cohere2_moe")
    assert disagreements(family, committed["families"]["cohere2_moe"]) == {}
    assert family.peft_moves_mlp_targets and family.targetable_mlp_modules == ()
    peft = run_cli("suggest", "-n", "800", "--model", "north-mini-code-1.0", "--vram", "141", "--emit", "peft")
    assert peft.returncode == 0 and "'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj']," in peft.stdout
    axolotl = run_cli("suggest", "-n", "800", "--model", "north-mini-code-1.0", "--vram", "141", "--emit", "axolotl")
    assert axolotl.returncode == 0 and "\nlora_target_modules: [q_proj, k_proj, v_proj, o_proj]\n" in axolotl.stdout
    cut = read_config(ROOT / "calibration" / "families" / "north-mini-code-1.0-L5" / "config.json")
    assert (cut.architecture, cut.num_experts, cut.num_experts_per_tok) == ("Cohere2MoeForCausalLM", 128, 8)
    assert (cut.dense_layers, cut.dense_intermediate_size, cut.intermediate_size) == (1, 3072, 768)
    assert (cut.shared_expert_intermediate_size, cut.tie_word_embeddings, cut.params_b) == (0, True, 3.067)


def test_unsloth_failures_are_backed_by_committed_runs_and_warned() -> None:
    """A family marked as not training on Unsloth failed in most of its Unsloth runs in the committed H200
    results, every family that trained in most of them is unmarked, and ``suggest --emit unsloth`` for a marked
    family says so on stderr (still exit 0: the script is written), while an unmarked one gets no warning."""
    from conftest import run_cli

    runs: dict[str, dict] = {}
    for path in sorted((ROOT / "calibration" / "results").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            run = json.loads(line)
            if run.get("framework") == "unsloth" and "config" in run and not run["id"].startswith("tr-"):
                runs[run["id"]] = run
    by_type: dict[str, list[bool]] = {}
    for run in runs.values():
        model_type = json.loads((ROOT / run["config"]).read_text())["model_type"]
        by_type.setdefault(model_type, []).append(run.get("rc") == 0 and "measured" in run)
    marked = {f.model_type for f in FAMILIES if f.unsloth_fails}
    assert marked == {"gemma2", "gemma3_text"}
    for model_type, trained in by_type.items():
        mostly_failed = sum(not t for t in trained) > sum(trained)
        assert mostly_failed == (model_type in marked), (model_type, trained)
    warned = run_cli("suggest", "-n", "800", "--model", "gemma-2-2b", "--emit", "unsloth")
    assert warned.returncode == 0 and warned.stdout.startswith("#!")
    assert warned.stderr.startswith("ftguide: warning: --emit unsloth: Unsloth 2026.10.9 did not train Gemma-2")
    hung = run_cli("suggest", "-n", "800", "--model", "gemma-3-1b", "--emit", "unsloth")
    assert hung.returncode == 0 and "hung on text-only Gemma-3" in hung.stderr
    for model, target in (("llama-3.2-1b", "unsloth"), ("gemma-2-2b", "peft"), ("gemma-3-1b", "peft")):
        quiet = run_cli("suggest", "-n", "800", "--model", model, "--emit", target)
        assert quiet.returncode == 0 and "warning" not in quiet.stderr, (model, target, quiet.stderr)


def test_a_family_the_targets_transformers_lacks_warns_on_that_target() -> None:
    """InternLM3 has a model class only in the PEFT script's transformers (5.23 builds it as Llama); Axolotl 0.19's
    5.16.1 and Unsloth's 5.17.0 would need the checkpoint's remote code, so those targets warn and name the one
    that trains it."""
    from conftest import run_cli

    assert {f.model_type: f.missing_on for f in FAMILIES if f.missing_on} == {"internlm3": ("axolotl", "unsloth")}
    for target, pinned in (("axolotl", "5.16.1"), ("unsloth", "5.17.0")):
        warned = run_cli("suggest", "-n", "800", "--model", "internlm3-8b", "--emit", target)
        assert warned.returncode == 0 and warned.stdout, target
        assert warned.stderr.startswith(
            f"ftguide: warning: --emit {target}: the transformers {target} runs ({pinned}) has no internlm3 model class"
        ), warned.stderr
        assert "; --emit peft trains it" in warned.stderr.splitlines()[0]
        assert "note:" not in warned.stderr  # no memory caveat for a file that cannot load the model
    quiet = run_cli("suggest", "-n", "800", "--model", "internlm3-8b", "--emit", "peft")
    assert quiet.returncode == 0 and "warning" not in quiet.stderr
    # Axolotl's own environment (installed by ci/toolenvs.sh) really lacks the model type.
    auto = "lib/python3*/site-packages/transformers/models/auto/configuration_auto.py"
    axolotl_auto = sorted((ROOT / ".toolenvs" / "axolotl").glob(auto))
    if axolotl_auto:
        assert '"internlm3"' not in axolotl_auto[0].read_text(encoding="utf-8")


def test_apertus_agrees_with_its_committed_probe_and_adapts_its_ungated_mlp() -> None:
    """Apertus: the record agrees with the committed 5.23 probe (an ungated MLP, up_proj and down_proj only), both
    targets adapt exactly those names, and its calibration configs read as the catalog entry's shapes."""
    from conftest import run_cli

    from ftguide.catalog import read_config

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    family = family_of("apertus")
    assert disagreements(family, committed["families"]["apertus"]) == {}
    assert family.mlp_modules == ("up_proj", "down_proj")
    args = ("suggest", "-n", "800", "--model", "apertus-8b", "--vram", "80", "--target-modules", "all")
    peft = run_cli(*args, "--emit", "peft")
    assert peft.returncode == 0, peft.stderr
    assert "'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj']," in peft.stdout
    axolotl = run_cli(*args, "--emit", "axolotl")
    assert axolotl.returncode == 0, axolotl.stderr
    assert "\nlora_target_modules: [q_proj, k_proj, v_proj, o_proj, up_proj, down_proj]\n" in axolotl.stdout
    entry = next(a for a in ARCHITECTURES if a.name == "apertus-8b")
    whole = read_config(ROOT / "calibration" / "families" / "apertus-8b" / "config.json")
    cut = read_config(ROOT / "calibration" / "families" / "apertus-8b-L8" / "config.json")
    fields = ("hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim", "intermediate_size")
    for config in (whole, cut):
        assert [getattr(config, f) for f in fields] == [getattr(entry, f) for f in fields]
        assert config.mlp_modules == ("up_proj", "down_proj") and not config.tie_word_embeddings
        assert not config.gated_mlp
    assert (whole.num_hidden_layers, cut.num_hidden_layers, whole.params_b) == (32, 8, 8.053)


def test_nemotron_agrees_with_its_committed_probe_and_adapts_its_ungated_mlp() -> None:
    """Nemotron (Minitron 4B): the record agrees with the committed 5.23 probe (an ungated squared-ReLU MLP, up_proj
    and down_proj only), the PEFT script adapts exactly those names, and its calibration configs read as the entry."""
    from conftest import run_cli

    from ftguide.catalog import read_config

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    assert disagreements(family_of("nemotron"), committed["families"]["nemotron"]) == {}
    peft = run_cli(
        "suggest", "-n", "800", "--model", "minitron-4b", "--vram", "80", "--target-modules", "all", "--emit", "peft"
    )
    assert peft.returncode == 0, peft.stderr
    assert "'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj']," in peft.stdout
    entry = next(a for a in ARCHITECTURES if a.name == "minitron-4b")
    fields = ("hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim", "intermediate_size")
    for name, layers in (("minitron-4b", 32), ("minitron-4b-L8", 8)):
        config = read_config(ROOT / "calibration" / "families" / name / "config.json")
        assert [getattr(config, f) for f in fields] == [getattr(entry, f) for f in fields]
        assert config.num_hidden_layers == layers and not config.gated_mlp


def test_arcee_and_k_exaone_agree_with_their_committed_probe() -> None:
    """Arcee (AFM-4.5B: an ungated squared-ReLU MLP) and K-EXAONE (exaone_moe: fused experts that bitsandbytes leaves
    16-bit, MLP names PEFT would move onto them): the records agree with the committed 5.23 probe, the PEFT script
    adapts what each can, and the calibration configs read as the entries."""
    from conftest import run_cli

    from ftguide.catalog import read_config

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    for model_type in ("arcee", "exaone_moe"):
        assert disagreements(family_of(model_type), committed["families"][model_type]) == {}
    afm = run_cli(
        "suggest", "-n", "800", "--model", "afm-4.5b", "--vram", "80", "--target-modules", "all", "--emit", "peft"
    )
    assert afm.returncode == 0, afm.stderr
    assert "'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj']," in afm.stdout
    exaone = run_cli("suggest", "-n", "800", "--model", "k-exaone-236b-a23b", "--vram", "640", "--emit", "peft")
    assert exaone.returncode == 0, exaone.stderr
    assert "'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj']," in exaone.stdout
    fields = ("hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim", "intermediate_size")
    for name, entry_name, layers in (
        ("afm-4.5b", "afm-4.5b", 36),
        ("afm-4.5b-L8", "afm-4.5b", 8),
        ("afm-4.5b-L16", "afm-4.5b", 16),
        ("k-exaone-236b-a23b-L3", "k-exaone-236b-a23b", 3),
        ("k-exaone-236b-a23b-L4", "k-exaone-236b-a23b", 4),
    ):
        entry = next(a for a in ARCHITECTURES if a.name == entry_name)
        config = read_config(ROOT / "calibration" / "families" / name / "config.json")
        assert [getattr(config, f) for f in fields] == [getattr(entry, f) for f in fields]
        assert config.num_hidden_layers == layers
    whole = next(a for a in ARCHITECTURES if a.name == "k-exaone-236b-a23b")
    assert (whole.num_experts, whole.shared_expert_intermediate_size, whole.dense_layers) == (128, 2048, 1)


#: Ministral 3's release layout: the image-text wrapper (mistral3) around the text model (ministral3), as
#: Mistral3Config saves it; the text fields are the catalog entries' (sources in catalog/models.py), the vision
#: tower Pixtral's as released for Mistral 3 (24 layers of 1024).  Not a verbatim copy of a released file.
_MINISTRAL3_ROPE = {
    "rope_type": "yarn",
    "rope_theta": 1000000.0,
    "factor": 16.0,
    "original_max_position_embeddings": 16384,
    "beta_fast": 32.0,
    "beta_slow": 1.0,
    "mscale": 1.0,
    "mscale_all_dim": 1.0,
    "llama_4_scaling_beta": 0.1,
}


def _ministral3_release(hidden: int, layers: int, intermediate: int, tied: bool) -> dict[str, Any]:
    return {
        "architectures": ["Mistral3ForConditionalGeneration"],
        "model_type": "mistral3",
        "image_token_index": 10,
        "multimodal_projector_bias": False,
        "projector_hidden_act": "gelu",
        "spatial_merge_size": 2,
        "tie_word_embeddings": tied,
        "vision_feature_layer": -1,
        "text_config": {
            "model_type": "ministral3",
            "hidden_size": hidden,
            "num_hidden_layers": layers,
            "num_attention_heads": 32,
            "num_key_value_heads": 8,
            "head_dim": 128,
            "intermediate_size": intermediate,
            "hidden_act": "silu",
            "vocab_size": 131072,
            "max_position_embeddings": 262144,
            "rms_norm_eps": 1e-05,
            "rope_parameters": _MINISTRAL3_ROPE,
            "sliding_window": None,
            "tie_word_embeddings": tied,
        },
        "vision_config": {
            "model_type": "pixtral",
            "hidden_size": 1024,
            "intermediate_size": 4096,
            "num_hidden_layers": 24,
            "num_attention_heads": 16,
            "head_dim": 64,
            "patch_size": 14,
            "image_size": 1540,
        },
    }


@pytest.mark.parametrize(
    ("name", "hidden", "layers", "intermediate", "tied", "billions"),
    [
        ("ministral-3-3b", 3072, 26, 9216, True, 3.429),
        ("ministral-3-8b", 4096, 34, 14336, False, 8.490),
        ("ministral-3-14b", 5120, 40, 16384, False, 13.506),
    ],
)
def test_ministral3_hub_ids_and_released_config_read_as_the_entry(
    tmp_path: Path, name: str, hidden: int, layers: int, intermediate: int, tied: bool, billions: float
) -> None:
    """Every Ministral 3 repo of a size (Base, Instruct and its -BF16 twin, Reasoning, Unsloth's copies) resolves to
    its entry; a local config.json of the release (mistral3 around a ministral3 text_config) reads as the entry's
    text model: the family's modules and decoder layer, the wrapper's class (what loads it), the top level's tie."""
    from ftguide.catalog import read_config, resolve_model

    size = name.rsplit("-", 1)[-1].upper()
    for variant in ("Base-2512", "Instruct-2512", "Instruct-2512-BF16", "Reasoning-2512"):
        assert resolve_model(f"mistralai/Ministral-3-{size}-{variant}").name == name, variant
    for variant in ("Instruct-2512", "Base-2512-bnb-4bit", "Reasoning-2512-unsloth-bnb-4bit"):
        assert resolve_model(f"unsloth/Ministral-3-{size}-{variant}").name == name, variant
    entry = resolve_model(name)
    assert (entry.model_type, entry.hf_id) == ("ministral3", f"mistralai/Ministral-3-{size}-Base-2512")
    assert entry.total_params() / 1e9 == pytest.approx(billions, abs=0.001)
    (tmp_path / "config.json").write_text(json.dumps(_ministral3_release(hidden, layers, intermediate, tied)))
    local = read_config(tmp_path / "config.json")
    assert (local.model_type, local.architecture) == ("ministral3", "Mistral3ForConditionalGeneration")
    fields = (
        "decoder_layer",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "num_key_value_heads",
        "head_dim",
        "intermediate_size",
        "vocab_size",
        "tie_word_embeddings",
        "max_position_embeddings",
        "attention_bias",
        "attention_modules",
        "mlp_modules",
        "min_modules",
        "num_experts",
    )
    assert {f: getattr(local, f) for f in fields} == {f: getattr(entry, f) for f in fields}
    assert local.params_b == pytest.approx(billions, abs=0.001)  # the text model: the vision tower is not counted


def test_ministral3_released_config_lets_its_top_level_decide_the_tie(tmp_path: Path) -> None:
    """Mistral3ForConditionalGeneration ties its head by the top-level tie_word_embeddings (Mistral3Config's default
    is true), as read_config reads a multimodal config: the text_config's value loses."""
    from ftguide.catalog import read_config

    config = _ministral3_release(4096, 34, 14336, tied=False)
    config["text_config"]["tie_word_embeddings"] = True
    (tmp_path / "config.json").write_text(json.dumps(config))
    assert not read_config(tmp_path / "config.json").tie_word_embeddings


def test_ministral3_agrees_with_its_committed_probe_and_loads_its_release_in_the_peft_script() -> None:
    """Ministral 3: the record (the text model, Ministral3ForCausalLM) agrees with the committed 5.23 probe; the PEFT
    script loads a mistral3 checkpoint (the release) with AutoModelForImageTextToText, which AutoModelForCausalLM
    refuses on 5.23, and any other one as before; other families' scripts are unchanged; the Axolotl YAML (Axolotl
    picks the image-text class itself) adapts the same names; the calibration configs read as the entries."""
    from conftest import run_cli

    from ftguide.catalog import read_config

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    family = family_of("ministral3")
    assert disagreements(family, committed["families"]["ministral3"]) == {}
    assert family.image_text_release == "mistral3"
    assert [f.model_type for f in FAMILIES if f.image_text_release] == ["ministral3", "mistral4"]
    args = ("suggest", "-n", "800", "--model", "mistralai/Ministral-3-8B-Instruct-2512", "--vram", "80")
    peft = run_cli(*args, "--target-modules", "all", "--emit", "peft")
    assert peft.returncode == 0, peft.stderr
    all_names = "['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']"
    assert f"'target_modules': {all_names}," in peft.stdout
    assert "'base_model': 'mistralai/Ministral-3-8B-Instruct-2512'," in peft.stdout
    assert "    AutoConfig,\n    AutoModelForCausalLM,\n    AutoModelForImageTextToText,\n" in peft.stdout
    assert "if AutoConfig.from_pretrained(args.base_model).model_type == 'mistral3':\n" in peft.stdout
    assert "    model = model_class.from_pretrained(args.base_model, **load_kwargs)\n" in peft.stdout
    other = run_cli("suggest", "-n", "800", "--model", "ministral-8b", "--vram", "80", "--emit", "peft")
    assert other.returncode == 0, other.stderr
    assert "AutoModelForImageTextToText" not in other.stdout and "AutoConfig" not in other.stdout
    assert "    model = AutoModelForCausalLM.from_pretrained(args.base_model, **load_kwargs)\n" in other.stdout
    axolotl = run_cli(*args, "--target-modules", "all", "--emit", "axolotl")
    assert axolotl.returncode == 0, axolotl.stderr
    assert "\nlora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]\n" in axolotl.stdout
    assert "AutoModelForImageTextToText" not in axolotl.stdout
    fields = ("hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim", "intermediate_size")
    for folder, entry_name, layers in (
        ("ministral-3-8b-L8", "ministral-3-8b", 8),
        ("ministral-3-3b", "ministral-3-3b", 26),
    ):
        entry = next(a for a in ARCHITECTURES if a.name == entry_name)
        config = read_config(ROOT / "calibration" / "families" / folder / "config.json")
        assert [getattr(config, f) for f in fields] == [getattr(entry, f) for f in fields]
        assert (config.num_hidden_layers, config.tie_word_embeddings) == (layers, entry.tie_word_embeddings)
        assert (config.model_type, config.architecture) == ("ministral3", "Ministral3ForCausalLM")
    assert read_config(ROOT / "calibration" / "families" / "ministral-3-3b" / "config.json").params_b == 3.429


#: Builds a tiny Ministral 3 release (Mistral3ForConditionalGeneration: the matrix's tiny ministral3 text model in
#: text_config, a one-layer Pixtral tower) with the tiny models' tokenizer.
_TINY_MINISTRAL3_RELEASE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import make_tiny_model as m
import torch, transformers
tok = m.build_tokenizer()
ids = {"pad": tok.pad_token_id, "bos": tok.bos_token_id, "eos": tok.eos_token_id, "unk": tok.unk_token_id}
text = m.build_config("ministral3", len(tok), ids)
vision = transformers.PixtralVisionConfig(
    hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2, head_dim=16, image_size=32,
    patch_size=8,
)
config = transformers.Mistral3Config(
    text_config=text.to_dict(), vision_config=vision.to_dict(), image_token_index=ids["unk"], tie_word_embeddings=False,
    dtype="float32",
)
torch.manual_seed(0)
model = transformers.Mistral3ForConditionalGeneration(config)
model.save_pretrained(sys.argv[2])
tok.save_pretrained(sys.argv[2])
try:
    transformers.AutoModelForCausalLM.from_pretrained(sys.argv[2])
    refused = False
except ValueError:
    refused = True
print(json.dumps({"architectures": [type(model).__name__], "causal_lm_refuses": refused}))
"""


def _train_tiny_release(tmp_path: Path, builder: str, model: str, vram: str) -> list[str]:
    """Builds a tiny Mistral3ForConditionalGeneration release with ``builder`` (which AutoModelForCausalLM refuses on
    5.23), trains the PEFT script ``suggest`` renders for ``model`` 2 steps on it, and returns the adapter's keys."""
    from conftest import run_cli

    need(TRAIN_PY)
    release = tmp_path / "release"
    built = tool(TRAIN_PY, "-c", builder, str(TOOLS), str(release), timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    summary = json.loads(built.stdout.strip().splitlines()[-1])
    assert summary == {"architectures": ["Mistral3ForConditionalGeneration"], "causal_lm_refuses": True}
    data = tmp_path / "data"
    made = subprocess.run(
        [sys.executable, str(TOOLS / "make_datasets.py"), str(data), "--n", "64"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    script = tmp_path / "train.py"
    done = run_cli("suggest", "--examples", "64", "--model", model, "--vram", vram, "--emit", "peft")
    assert done.returncode == 0, done.stderr
    script.write_text(done.stdout)
    out = tmp_path / "out"
    argv = ["--base-model", str(release), "--dataset", str(data / "alpaca.jsonl"), "--dataset-format", "alpaca"]
    argv += ["--output-dir", str(out), "--max-steps", "2", "--eval-steps", "2", "--max-seq-length", "64"]
    argv += ["--batch-size", "2", "--gradient-accumulation-steps", "1", "--metrics-json", str(out / "metrics.json")]
    cells = tmp_path / "cells.json"
    cells.write_text(json.dumps([{"id": "release", "script": str(script), "argv": argv, "cwd": str(tmp_path)}]))
    ran = tool(TRAIN_PY, str(TOOLS / "run_scripts.py"), str(cells), timeout=900, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-3000:]
    result = json.loads(ran.stdout)["release"]
    log = (tmp_path / "log.txt").read_text(encoding="utf-8", errors="replace")
    assert result["rc"] == 0, f"{result['error']}\n{log[-2500:]}"
    assert json.loads((out / "metrics.json").read_text())["steps"] == 2
    check = (
        "import json, sys; from safetensors import safe_open\n"
        "with safe_open(sys.argv[1], 'pt') as f: print(json.dumps(sorted(f.keys())))"
    )
    keys = json.loads(tool(TRAIN_PY, "-c", check, str(out / "adapter_model.safetensors")).stdout)
    return list(keys)


@pytest.mark.integration
def test_ministral3_peft_script_trains_a_tiny_release(tmp_path: Path) -> None:
    """The rendered PEFT script trains 2 steps on a tiny Mistral3ForConditionalGeneration checkpoint (which
    AutoModelForCausalLM refuses on 5.23): the adapter reaches the text model's layers (and, through the bare names,
    the vision tower's, as on the release)."""
    keys = _train_tiny_release(tmp_path, _TINY_MINISTRAL3_RELEASE, "ministral-3-8b", "192")
    text_layers = {k for k in keys if ".language_model.layers." in k}
    assert len(text_layers) == 2 * 7 * 2  # 2 layers x 7 projections x (lora_A, lora_B)
    assert any(".vision_tower." in k for k in keys)


def test_afmoe_agrees_with_its_probe_and_leaves_the_attention_gate_to_peft() -> None:
    """AFMoE (Trinity): the record agrees with the committed 5.23 probe; its attention gate shares the MLP's gate_proj
    name, which PEFT 0.21 would move onto the routed experts with the MLP names, so neither the catalog entry nor a
    local config.json adapts it; the local config's two dense layers (num_dense_layers) are read."""
    from conftest import run_cli

    from ftguide.catalog import read_config

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    record = family_of("afmoe")
    assert disagreements(record, committed["families"]["afmoe"]) == {}
    assert "gate_proj" in record.attention_modules and "gate_proj" not in record.targetable_attention_modules
    done = run_cli("suggest", "-n", "800", "--model", "trinity-mini", "--vram", "192", "--emit", "peft")
    assert done.returncode == 0, done.stderr
    assert "'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj']," in done.stdout
    local = read_config(ROOT / "calibration" / "families" / "trinity-mini-L4" / "config.json")
    assert local.attention_modules == ("q_proj", "k_proj", "v_proj", "o_proj") and local.mlp_modules == ()
    assert (local.num_hidden_layers, local.dense_layers, local.dense_intermediate_size) == (4, 2, 6144)
    entry = next(a for a in ARCHITECTURES if a.name == "trinity-mini")
    assert entry.total_params() / 1e9 == pytest.approx(26.1, abs=0.1)  # the attention gate's h x q counted


@pytest.mark.parametrize("model_type", ["deepseek_v3", "glm4_moe_lite"])
def test_latent_attention_families_agree_with_their_probe(model_type: str) -> None:
    """DeepSeek-V3 and GLM-4.7-Flash: the records agree with the committed 5.23 probe (multi-head latent attention's
    five projections, fused experts that bitsandbytes leaves 16-bit, MLP names that PEFT would move)."""
    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    assert disagreements(family_of(model_type), committed["families"][model_type]) == {}


def test_latent_attention_shapes_and_sizes() -> None:
    """Multi-head latent attention's module shapes, parameter counts and config.json reading.

    Published totals: DeepSeek-V3 671B, Kimi K2 about 1.03T, Moonlight 16B, GLM-4.7-Flash about 30B (none counts
    the multi-token-prediction layer).  The calibration cuts' counts are transformers 5.23's own (built on the meta
    device from the same config.json: 4,847,998,976 and 3,895,625,216 parameters).
    """
    from ftguide.catalog import read_config

    sizes = {a.name: a.total_params() / 1e9 for a in ARCHITECTURES if a.latent_attention}
    assert sizes == pytest.approx(
        {
            "deepseek-v3": 671.03,
            "kimi-k2": 1026.41,
            "moonlight-16b-a3b": 15.96,
            "glm-4.7-flash": 29.94,
            "mistral-small-4-119b": 118.97,  # the text model (test_mistral4_entry_sizes_and_released_config)
        },
        abs=0.01,
    )
    ds = next(a for a in ARCHITECTURES if a.name == "deepseek-v3")
    assert ds.module_shapes() == {
        "q_a_proj": (7168, 1536, 1),
        "q_b_proj": (1536, 128 * 192, 1),
        "kv_a_proj_with_mqa": (7168, 512 + 64, 1),
        "kv_b_proj": (512, 128 * (128 + 128), 1),
        "o_proj": (128 * 128, 7168, 1),
    }
    assert (ds.q_dim, ds.kv_dim, ds.dense_layers, ds.moe_layers) == (128 * 192, 128 * 192, 3, 58)
    cuts = ROOT / "calibration" / "families"
    moon = read_config(cuts / "moonlight-16b-a3b-L8" / "config.json")
    assert moon.attention_modules == ("q_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj")
    assert moon.min_modules == ("q_proj", "kv_b_proj") and moon.mlp_modules == ()
    assert (moon.head_dim, moon.num_key_value_heads, moon.q_lora_rank, moon.v_head_dim) == (192, 16, 0, 128)
    assert (moon.shared_expert_intermediate_size, moon.dense_layers, moon.dense_intermediate_size) == (2816, 1, 11264)
    assert moon.total_params() == 4_847_998_976
    glm = read_config(cuts / "glm-4.7-flash-L6" / "config.json")
    assert glm.attention_modules == ("q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj")
    assert (glm.head_dim, glm.q_lora_rank, glm.kv_lora_rank, glm.v_head_dim) == (256, 768, 512, 256)
    assert glm.total_params() == 3_895_625_216
    whole = next(a for a in ARCHITECTURES if a.name == "glm-4.7-flash")
    for field in ("hidden_size", "head_dim", "q_lora_rank", "kv_lora_rank", "v_head_dim", "num_experts"):
        assert getattr(glm, field) == getattr(whole, field), field


def test_latent_attention_config_without_its_head_widths_is_refused(tmp_path: Path) -> None:
    from conftest import run_cli

    config = json.loads((ROOT / "calibration" / "families" / "glm-4.7-flash-L6" / "config.json").read_text())
    del config["v_head_dim"]
    (tmp_path / "config.json").write_text(json.dumps(config))
    done = run_cli("suggest", "-n", "800", "--model", str(tmp_path / "config.json"), "--vram", "80")
    assert done.returncode == 2 and done.stdout == ""
    assert "sets kv_lora_rank (latent attention) but lacks v_head_dim" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def _mistral4_release(layers: int = 36) -> dict[str, Any]:
    """A Mistral Small 4 config.json as released: Mistral3ForConditionalGeneration around the mistral4 text model
    (the calibration cut's fields at ``layers`` layers), FP8 weights, a Pixtral vision tower."""
    text = json.loads((ROOT / "calibration" / "families" / "mistral-small-4-119b-L4" / "config.json").read_text())
    del text["architectures"], text["torch_dtype"]
    text["num_hidden_layers"] = layers
    fp8 = {"quant_method": "fp8", "activation_scheme": "static", "weight_block_size": None}
    return {
        "architectures": ["Mistral3ForConditionalGeneration"],
        "model_type": "mistral3",
        "image_token_index": 10,
        "multimodal_projector_bias": False,
        "projector_hidden_act": "gelu",
        "spatial_merge_size": 2,
        "tie_word_embeddings": False,
        "vision_feature_layer": -1,
        "quantization_config": fp8,
        "text_config": {**text, "quantization_config": fp8},
        "vision_config": {
            "model_type": "pixtral",
            "hidden_size": 1024,
            "intermediate_size": 4096,
            "num_hidden_layers": 24,
            "num_attention_heads": 16,
            "head_dim": 64,
            "patch_size": 14,
            "image_size": 1540,
        },
    }


def test_mistral4_agrees_with_its_probe_and_loads_with_the_image_text_class() -> None:
    """Mistral Small 4: the record agrees with the committed 5.23 probe (latent attention's five projections, fused
    experts bitsandbytes leaves 16-bit, MLP names PEFT does not move: mistral4 has no checkpoint conversion); the
    probe saw AutoModelForCausalLM map no Mistral4Config, so the PEFT script loads both the release (mistral3) and a
    text-only checkpoint (mistral4) with AutoModelForImageTextToText, and Ministral 3's script is unchanged."""
    from conftest import run_cli

    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    family, probe = family_of("mistral4"), committed["families"]["mistral4"]
    assert disagreements(family, probe) == {}
    assert probe["causal_lm_auto"] is False and not family.causal_lm_auto
    assert [f.model_type for f in FAMILIES if not f.causal_lm_auto] == ["mistral4"]
    assert (family.image_text_release, family.peft_moves_mlp_targets, family.missing_on) == ("mistral3", False, ())
    assert family.targetable_mlp_modules == ("gate_proj", "up_proj", "down_proj")  # the shared expert's
    args = ("suggest", "-n", "800", "--model", "mistralai/Mistral-Small-4-119B-2603", "--vram", "512")
    peft = run_cli(*args, "--target-modules", "all", "--emit", "peft")
    assert peft.returncode == 0, peft.stderr
    names = "['q_a_proj', 'q_b_proj', 'kv_a_proj_with_mqa', 'kv_b_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']"
    assert f"'target_modules': {names}," in peft.stdout
    assert "    AutoConfig,\n    AutoModelForCausalLM,\n    AutoModelForImageTextToText,\n" in peft.stdout
    assert "if AutoConfig.from_pretrained(args.base_model).model_type in ('mistral3', 'mistral4'):\n" in peft.stdout
    ministral = run_cli("suggest", "-n", "800", "--model", "ministral-3-8b", "--vram", "80", "--emit", "peft")
    assert "model_type == 'mistral3':\n" in ministral.stdout and "'mistral4'" not in ministral.stdout
    axolotl = run_cli(*args, "--target-modules", "all", "--emit", "axolotl")
    assert axolotl.returncode == 0, axolotl.stderr
    assert "\nlora_qkv_kernel: false\nlora_o_kernel: false\n" in axolotl.stdout  # as deepseek_v3: no QKV to patch


def test_mistral4_entry_sizes_and_released_config(tmp_path: Path) -> None:
    """The entry's shapes give transformers 5.23's own text-model count (Mistral4ForCausalLM on the meta device from
    the released shapes: 118,972,826,624; with the vision tower the release holds 119.40B); the released
    config.json (mistral3 around a mistral4 text_config, FP8) reads as the entry's text model; the calibration cut
    (4 of 36 layers, all sparse) reads to transformers' count for it (14,173,643,776)."""
    from ftguide.catalog import read_config, resolve_model

    entry = resolve_model("mistralai/Mistral-Small-4-119B-2603")
    assert entry.name == "mistral-small-4-119b" == resolve_model("axolotl-ai-co/Mistral-Small-4-119B-2603-BF16").name
    assert entry.total_params() == 118_972_826_624 and entry.params_b == 118.97
    assert entry.module_shapes() == {
        "q_a_proj": (4096, 1024, 1),
        "q_b_proj": (1024, 32 * 128, 1),
        "kv_a_proj_with_mqa": (4096, 256 + 64, 1),
        "kv_b_proj": (256, 32 * (64 + 128), 1),
        "o_proj": (32 * 128, 4096, 1),
        "gate_proj": (4096, 2048, 1),
        "up_proj": (4096, 2048, 1),
        "down_proj": (2048, 4096, 1),
    }
    assert (entry.dense_layers, entry.moe_layers, entry.shared_expert_intermediate_size) == (0, 36, 2048)
    (tmp_path / "config.json").write_text(json.dumps(_mistral4_release()))
    local = read_config(tmp_path / "config.json")
    assert (local.model_type, local.architecture) == ("mistral4", "Mistral3ForConditionalGeneration")
    fields = (
        "decoder_layer",
        "hidden_size",
        "num_hidden_layers",
        "num_attention_heads",
        "num_key_value_heads",
        "head_dim",
        "intermediate_size",
        "vocab_size",
        "tie_word_embeddings",
        "max_position_embeddings",
        "attention_modules",
        "mlp_modules",
        "min_modules",
        "num_experts",
        "num_experts_per_tok",
        "shared_expert_intermediate_size",
        "dense_layers",
        "kv_lora_rank",
        "q_lora_rank",
        "qk_rope_head_dim",
        "v_head_dim",
    )
    assert {f: getattr(local, f) for f in fields} == {f: getattr(entry, f) for f in fields}
    assert local.total_params() == entry.total_params()  # the text model: the vision tower is not counted
    cut = read_config(ROOT / "calibration" / "families" / "mistral-small-4-119b-L4" / "config.json")
    assert (cut.model_type, cut.architecture, cut.num_hidden_layers, cut.dense_layers) == (
        "mistral4",
        "Mistral4ForCausalLM",
        4,
        0,
    )
    assert cut.total_params() == 14_173_643_776


def test_mistral4_is_priced_as_deepseek_v3s_latent_attention_with_a_fused_checkpoint() -> None:
    """Read from modeling_mistral4.py against modeling_deepseek_v3.py: the latent attention's saved tensors and its
    two latent norms are DeepSeek-V3's (Llama 4's query scaling replaces the concatenated query the attention saves);
    the checkpoint stores the experts fused (no conversion mapping), so no load-time stacking is priced."""
    from ftguide import memory

    m4 = next(a for a in ARCHITECTURES if a.name == "mistral-small-4-119b")
    # qk 128, nope 64, v 128: (2 x 128 + (64 + 128) + 128) / (4 x 128)
    assert memory.attention_io_factor(m4) == (256 + 192 + 128) / 512
    assert memory.latent_width(m4) == 1024 + 256
    assert "mistral4" not in memory._PER_EXPERT_CHECKPOINT
    assert "mistral4" not in memory._UNSLOTH_OWN_EXPERTS_FORWARD
    assert memory.fused_experts(m4) and memory.expert_params(m4) == 36 * (3 * 4096 * 2048 * 128 + 4096 * 128)
    # Unsloth: FastModel (no hand-written path), its MoE layers run as DeepSeek-V3's (checkpointing frees them).
    assert not memory.unsloth_fast_path(m4) and "mistral4" in memory._MOE_CHECKPOINTED_ON_UNSLOTH
    assert "mistral4" not in memory._UNSLOTH_EXPERT_LOAD  # a fused checkpoint: the fused default


def test_mistral4_unsloth_script_maps_the_text_model_for_causal_lm() -> None:
    """Unsloth's FastModel loads a text-only mistral4 checkpoint (the calibration cut) through AutoModelForCausalLM,
    which refuses Mistral4Config on its transformers 5.17 as on 5.23: the Unsloth script adds the name entry first
    (after ``from unsloth import``), and no other family's Unsloth script changes."""
    from conftest import run_cli

    line = "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES.setdefault('mistral4', 'Mistral4ForCausalLM')"
    cut = str(ROOT / "calibration" / "families" / "mistral-small-4-119b-L4" / "config.json")
    for model in ("mistral-small-4-119b", cut):
        done = run_cli("suggest", "-n", "500", "--model", model, "--vram", "400", "--emit", "unsloth")
        assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
        assert done.stdout.index("from unsloth import") < done.stdout.index(line) < done.stdout.index("PROFILE = {")
        compile(done.stdout, "train_unsloth.py", "exec")
    for model in ("ministral-3-8b", "moonlight-16b-a3b", "llama-3.2-1b"):
        other = run_cli("suggest", "-n", "500", "--model", model, "--vram", "80", "--emit", "unsloth")
        assert other.returncode == 0 and "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES" not in other.stdout, model
    peft = run_cli("suggest", "-n", "500", "--model", "mistral-small-4-119b", "--vram", "400", "--emit", "peft")
    assert peft.returncode == 0 and "MODEL_FOR_CAUSAL_LM_MAPPING_NAMES" not in peft.stdout


def test_qwen3_5_unsloth_script_loads_the_text_model_alone() -> None:
    """Qwen3.5's releases are image-text wrappers, which Unsloth's FastModel would load whole (vision tower
    included) where the PEFT script's AutoModelForCausalLM builds the text model alone and ftguide prices that: the
    Unsloth script passes ``text_only=True`` for both Qwen3.5 families (a catalog name, or a local release with its
    vision tower), inside the from_pretrained call, and no other family's Unsloth script changes."""
    import ast

    from conftest import run_cli

    release = str(ROOT / "calibration" / "families" / "qwen3.5-4b")
    for model in ("qwen3.5-9b", "Qwen/Qwen3.5-35B-A3B", release):
        done = run_cli("suggest", "-n", "500", "--model", model, "--vram", "400", "--emit", "unsloth")
        assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
        calls = [
            node
            for node in ast.walk(ast.parse(done.stdout))
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "from_pretrained"
        ]
        assert [[k.arg for k in c.keywords if k.arg == "text_only"] for c in calls] == [["text_only"]], model
    for model in ("qwen3-8b", "gemma-3-4b", "llama-3.2-1b", "mistral-small-4-119b"):
        other = run_cli("suggest", "-n", "500", "--model", model, "--vram", "400", "--emit", "unsloth")
        assert other.returncode == 0 and "text_only" not in other.stdout, model
    peft = run_cli("suggest", "-n", "500", "--model", "qwen3.5-9b", "--vram", "400", "--emit", "peft")
    assert peft.returncode == 0 and "text_only" not in peft.stdout


#: Builds a tiny Mistral Small 4 release (Mistral3ForConditionalGeneration around the matrix's tiny mistral4 text
#: model, a one-layer Pixtral tower) with the tiny models' tokenizer.
_TINY_MISTRAL4_RELEASE = _TINY_MINISTRAL3_RELEASE.replace('build_config("ministral3"', 'build_config("mistral4"')


@pytest.mark.integration
def test_mistral4_peft_script_trains_a_tiny_release(tmp_path: Path) -> None:
    """The rendered PEFT script trains 2 steps on a tiny Mistral3ForConditionalGeneration around a mistral4 text
    model (which AutoModelForCausalLM refuses on 5.23): the adapter reaches the text model's layers."""
    keys = _train_tiny_release(tmp_path, _TINY_MISTRAL4_RELEASE, "mistral-small-4-119b", "384")
    text_layers = {k for k in keys if ".language_model.layers." in k}
    assert text_layers and all(".lora_A." in k or ".lora_B." in k for k in text_layers)
    assert any(".self_attn.kv_b_proj." in k for k in text_layers)


# --------------------------------------------------------------------------------------- Qwen3.5

#: Module names of one decoder layer of each kind, as transformers 5.23 builds them (Qwen3_5ForCausalLM and
#: Qwen3_5MoeForCausalLM on the meta device from the entries' shapes, in the train tool env: layer 0 is
#: linear_attention, layer 3 full_attention; the MoE layer's routed experts are fused parameters, not modules).
_QWEN3_5_LINEAR_LAYER = ("linear_attn.out_proj", "linear_attn.in_proj_qkv", "linear_attn.in_proj_z")
_QWEN3_5_LINEAR_LAYER += ("linear_attn.in_proj_b", "linear_attn.in_proj_a")
_QWEN3_5_FULL_LAYER = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj")
_QWEN3_5_DENSE_MLP = ("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")
_QWEN3_5_MOE_MLP = ("mlp.shared_expert.gate_proj", "mlp.shared_expert.up_proj", "mlp.shared_expert.down_proj")
_QWEN3_5_MOE_MLP += ("mlp.shared_expert_gate",)
_QWEN3_5_ALL_TARGETS = ("out_proj", "in_proj_qkv", "in_proj_z", "in_proj_b", "in_proj_a", "q_proj", "k_proj")
_QWEN3_5_ALL_TARGETS += ("v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def _qwen3_5_release(cut: str, layers: int) -> dict[str, Any]:
    """A Qwen3.5 config.json as released (Qwen3_5(Moe)ForConditionalGeneration: the text model in text_config, a
    vision tower), from the calibration cut's text_config at ``layers`` layers (every fourth one full attention)."""
    config = json.loads((ROOT / "calibration" / "families" / cut / "config.json").read_text())
    text = config["text_config"]
    text["num_hidden_layers"] = layers
    text["layer_types"] = ["full_attention" if (n + 1) % 4 == 0 else "linear_attention" for n in range(layers)]
    config["vision_config"] = {
        "model_type": config["model_type"],
        "depth": 27,
        "hidden_size": 1152,
        "intermediate_size": 4304,
        "num_heads": 16,
        "out_hidden_size": text["hidden_size"],
        "patch_size": 16,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
    }
    config["image_token_id"], config["video_token_id"] = 248056, 248057
    return config


#: The fields a Gated DeltaNet family's local config.json must read as its catalog entry does.
_LINEAR_ATTENTION_ENTRY_FIELDS = (
    "decoder_layer",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "intermediate_size",
    "vocab_size",
    "tie_word_embeddings",
    "attention_modules",
    "mlp_modules",
    "min_modules",
    "num_experts",
    "num_experts_per_tok",
    "shared_expert_intermediate_size",
    "shared_expert_gate",
    "linear_attention_layers",
    "linear_num_key_heads",
    "linear_num_value_heads",
    "linear_key_head_dim",
    "linear_value_head_dim",
    "linear_conv_kernel_dim",
)


@pytest.mark.parametrize(
    ("name", "cut", "layers", "ids", "params"),
    [
        # transformers 5.23's own count: Qwen3_5ForCausalLM / Qwen3_5MoeForCausalLM built on the meta device from
        # the entry's shapes (Qwen3_5TextConfig / Qwen3_5MoeTextConfig), sum of p.numel(); the MTP layer is not built.
        ("qwen3.5-9b", "qwen3.5-9b-L8", 32, ("Qwen/Qwen3.5-9B", "Qwen/Qwen3.5-9B-Base"), 8_953_803_264),
        (
            "qwen3.5-35b-a3b",
            "qwen3.5-35b-a3b-L4",
            40,
            ("Qwen/Qwen3.5-35B-A3B", "Qwen/Qwen3.5-35B-A3B-Base", "unsloth/Qwen3.5-35B-A3B"),
            34_660_610_688,
        ),
    ],
)
def test_qwen3_5_hub_ids_and_released_config_read_as_the_entry(
    tmp_path: Path, name: str, cut: str, layers: int, ids: tuple[str, ...], params: int
) -> None:
    """Each Qwen3.5 repo resolves to its entry, whose size is transformers' own count; a released config.json
    (qwen3_5 / qwen3_5_moe around the text model in text_config, a vision tower) reads as the entry's text model:
    the text family's class (what AutoModelForCausalLM builds on 5.23), its layer kinds and widths, the same count."""
    from ftguide.catalog import read_config, resolve_model

    for hub_id in ids:
        assert resolve_model(hub_id).name == name, hub_id
    entry = resolve_model(name)
    assert entry.total_params() == params and entry.params_b == round(params / 1e9, 2)
    (tmp_path / "config.json").write_text(json.dumps(_qwen3_5_release(cut, layers)))
    local = read_config(tmp_path / "config.json")
    assert (local.model_type, local.architecture) == (entry.model_type, entry.architecture)
    assert local.architecture in ("Qwen3_5ForCausalLM", "Qwen3_5MoeForCausalLM")
    fields = _LINEAR_ATTENTION_ENTRY_FIELDS
    assert {f: getattr(local, f) for f in fields} == {f: getattr(entry, f) for f in fields}
    assert local.linear_attention_layers == layers * 3 // 4
    assert local.total_params() == params  # the text model: the vision tower is not counted


@pytest.mark.parametrize("model_type", ["qwen3_5_text", "qwen3_5_moe_text"])
def test_qwen3_5_agrees_with_its_committed_probe(model_type: str) -> None:
    """Both records agree with the committed 5.23 probe (the split Gated DeltaNet projections before the full
    attention's, fused experts bitsandbytes leaves 16-bit, MLP names PEFT does not move, flex_attention refused)."""
    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    family = family_of(model_type)
    assert disagreements(family, committed["families"][model_type]) == {}
    assert family.attention_modules[:5] == ("out_proj", "in_proj_qkv", "in_proj_z", "in_proj_b", "in_proj_a")
    assert not family.accepts("flex_attention") and not family.peft_moves_mlp_targets
    assert family.unsloth_fails is None and family.missing_on == ()  # no committed Unsloth run failed it


@pytest.mark.parametrize(
    ("cut", "model_type", "architecture", "kinds", "params"),
    [
        # transformers 5.23's count of the cut (AutoConfig.from_pretrained of the folder, then from_config on meta).
        ("qwen3.5-35b-a3b-L4", "qwen3_5_moe_text", "Qwen3_5MoeForCausalLM", "LLLF", 4_381_469_760),
        ("qwen3.5-9b-L8", "qwen3_5_text", "Qwen3_5ForCausalLM", "LLLFLLLF", 3_764_131_968),
    ],
)
def test_qwen3_5_calibration_cuts_read_as_their_family(
    cut: str, model_type: str, architecture: str, kinds: str, params: int
) -> None:
    """The calibration cuts (released configs truncated, top level qwen3_5 / qwen3_5_moe) read as their text family,
    with linear_attention layers where layer_types says and one group per kind."""
    from ftguide.catalog import read_config

    config = read_config(ROOT / "calibration" / "families" / cut / "config.json")
    assert (config.model_type, config.architecture, config.num_hidden_layers) == (model_type, architecture, len(kinds))
    assert config.linear_attention_layers == kinds.count("L")
    groups = [(count, group.is_linear_attention) for count, group in config.layer_groups()]
    assert groups == [(kinds.count("F"), False), (kinds.count("L"), True)]
    assert config.total_params() == params


def test_qwen3_5_shape_model_linear_attention_layers() -> None:
    """Each kind of layer holds only its own modules, at transformers' shapes (weights (out, in) of layer 0,
    linear_attention, and layer 3, full_attention, of the meta-built models), and its parameters are transformers'
    count for that layer: 9B 218,407,104 (linear) and 209,723,904 (full), 35B-A3B 842,700,992 and 836,246,016 (of
    which the RMSNorms and, in the linear layers, the conv, A_log, dt_bias and gated norm are not nn.Linear)."""
    from ftguide import memory

    by_name = {a.name: a for a in ARCHITECTURES}
    nine, moe = by_name["qwen3.5-9b"], by_name["qwen3.5-35b-a3b"]
    full9, linear9 = (group for _, group in nine.layer_groups())
    assert (full9.is_linear_attention, linear9.is_linear_attention) == (False, True)
    assert linear9.module_shapes() == {
        "out_proj": (4096, 4096, 1),
        "in_proj_qkv": (4096, 8192, 1),
        "in_proj_z": (4096, 4096, 1),
        "in_proj_b": (4096, 32, 1),
        "in_proj_a": (4096, 32, 1),
        "gate_proj": (4096, 12288, 1),
        "up_proj": (4096, 12288, 1),
        "down_proj": (12288, 4096, 1),
    }
    assert full9.module_shapes() == {
        "q_proj": (4096, 8192, 1),  # the queries and the sigmoid output gate
        "k_proj": (4096, 1024, 1),
        "v_proj": (4096, 1024, 1),
        "o_proj": (4096, 4096, 1),
        "gate_proj": (4096, 12288, 1),
        "up_proj": (4096, 12288, 1),
        "down_proj": (12288, 4096, 1),
    }
    assert [name.split(".")[-1] for name in _QWEN3_5_LINEAR_LAYER + _QWEN3_5_DENSE_MLP] == list(linear9.module_shapes())
    assert [name.split(".")[-1] for name in _QWEN3_5_FULL_LAYER + _QWEN3_5_DENSE_MLP] == list(full9.module_shapes())
    full35, linear35 = (group for _, group in moe.layer_groups())
    assert set(linear35.module_shapes()) == {"out_proj", "in_proj_qkv", "in_proj_z", "in_proj_b", "in_proj_a"} | {
        "gate_proj",
        "up_proj",
        "down_proj",
    }
    assert linear35.module_shapes()["in_proj_qkv"] == (2048, 8192, 1) and linear35.module_shapes()["out_proj"] == (
        4096,
        2048,
        1,
    )
    assert full35.module_shapes()["o_proj"] == (4096, 2048, 1) and "out_proj" not in full35.module_shapes()

    def layer_params(a: Any, norms: int) -> int:
        return int(a.linear_params_per_layer() + norms)

    h9, h35 = 4096, 2048
    conv_etc = (2 * 2048 + 4096) * 4 + 2 * 32 + 128  # conv1d, A_log, dt_bias, the gated norm's weight
    assert layer_params(linear9, 2 * h9 + conv_etc) == 218_407_104
    assert layer_params(full9, 2 * h9 + 2 * 256) == 209_723_904  # q_norm, k_norm
    assert layer_params(linear35, 2 * h35 + conv_etc) == 842_700_992
    assert layer_params(full35, 2 * h35 + 2 * 256) == 836_246_016
    # A LoRA target of the other kind adds nothing to a layer (q_proj in a linear layer, in_proj_qkv in a full one).
    profile = _qwen3_5_profile(nine, ["q_proj", "in_proj_qkv"])
    assert memory.lora_params(nine, profile) == 16 * (8 * (4096 + 8192) + 24 * (4096 + 8192))


def _qwen3_5_profile(arch: Any, targets: list[str], quantization: str = "4bit") -> Any:
    from test_memory import profile_for

    return profile_for(arch, quantization, lora_r=16).model_copy(update={"target_modules": targets})


def test_qwen3_5_unsloth_path_is_priced_from_its_kernels() -> None:
    """Unsloth's linear-attention layers are priced from the bundled kernels' saved tensors, not transformers'
    fallbacks (memory.unsloth_linear_attention_bytes: 2W + 4 Hv dk + 8V + 150 Hv per token, W = 2K + V); its MoE
    forward (unsloth_zoo's, patched on the Qwen3_5Moe classes) is found under the loaded model_type."""
    from ftguide import memory

    by_name = {a.name: a for a in ARCHITECTURES}
    moe = by_name["qwen3.5-35b-a3b"]
    full, linear = (group for _, group in moe.layer_groups())
    w, v, hv = 2 * 2048 + 4096, 4096, 32
    assert memory.unsloth_linear_attention_bytes(linear) == 2 * w + 4 * hv * 128 + 8 * v + 150 * hv == 70_336
    assert memory.linear_attention_bytes(linear) > 4 * memory.unsloth_linear_attention_bytes(linear)
    assert memory.layer_activation_bytes(linear, "unsloth") < memory.layer_activation_bytes(linear, "peft")
    assert moe.model_type == "qwen3_5_moe_text" in memory._UNSLOTH_OWN_EXPERTS_FORWARD
    assert moe.model_type not in memory._MOE_CHECKPOINTED_ON_UNSLOTH
    # 16-bit, attention targets only: Unsloth's own experts forward keeps no t x k x h block.
    profile = _qwen3_5_profile(moe, ["q_proj", "v_proj"], quantization="none")
    kept = memory.moe_layer_kept_bytes(full, profile)
    h, q, kv = 2048, 16 * 256, 2 * 256
    shared = 4 * 512 + 2 * h  # the shared expert's gate and up outputs, its output beside the sigmoid gate
    attention = 4 * (h + q + kv + 16 + 8 * 512) + 12 * 256 + (q + kv) + 2 * q  # ... q/k norms, output gate
    assert kept == attention + shared
    linear_kept = memory.moe_layer_kept_bytes(linear, profile)
    assert linear_kept == 4 * (h + 8 * 512) + 12 * 256 + 70_336 + shared  # no q/k norm, no gate, no SDPA
    dense = _qwen3_5_profile(by_name["qwen3.5-9b"], ["q_proj", "v_proj"])
    full9, linear9 = (group for _, group in by_name["qwen3.5-9b"].layer_groups())
    lora = 2 * 16  # each adapted module's LoRA-A output: q_proj and v_proj in a full layer, none in a linear one
    assert memory.fastmodel_layer_bytes(linear9, dense) == 8 * 4096 + 70_336 + 4 * 12288
    assert memory.fastmodel_layer_bytes(full9, dense) == (
        8 * 4096 + 4 * 4096 + 4 * 1024 + 4 * 16 + (4096 + 1024) + 2 * 4096 + 4 * 12288 + 2 * lora
    )


def test_qwen3_5_moe_peft_script_targets_exist_on_the_model() -> None:
    """``suggest --emit peft`` for Qwen3.5-35B-A3B renders a script that loads the release with AutoModelForCausalLM
    (5.23 maps qwen3_5_moe to the text class) and whose every target name is a module of the built model: by
    the profile's pick and ``all`` (the linear layers', the full attention's and the shared expert's)."""
    from conftest import run_cli

    names = {m.split(".")[-1] for m in _QWEN3_5_LINEAR_LAYER + _QWEN3_5_FULL_LAYER + _QWEN3_5_MOE_MLP}
    args = ("suggest", "-n", "800", "--model", "Qwen/Qwen3.5-35B-A3B", "--vram", "80")
    for extra, expected in (
        ((), None),  # what the profile picks (all of them at 80 GB)
        (
            ("--target-modules", "all"),
            [*_QWEN3_5_ALL_TARGETS],
        ),
    ):
        done = run_cli(*args, *extra, "--emit", "peft")
        assert done.returncode == 0, done.stderr
        line = next(x for x in done.stdout.splitlines() if x.strip().startswith("'target_modules':"))
        targets = json.loads(line.split(":", 1)[1].strip().rstrip(",").replace("'", '"'))
        assert set(targets) <= names and {"q_proj", "v_proj"} <= set(targets), (extra, targets)
        assert expected is None or targets == expected, (extra, targets)
        assert "    model = AutoModelForCausalLM.from_pretrained(args.base_model, **load_kwargs)\n" in done.stdout
        assert "AutoModelForImageTextToText" not in done.stdout


# --------------------------------------------------------------------------------------- Qwen3-Next

#: Module names of one decoder layer of each kind, as transformers 5.23 builds Qwen3NextForCausalLM on the meta device
#: from the released config (layer 0 linear_attention, layer 3 full_attention; every layer's MLP an MoE block whose
#: routed experts are fused parameters, not modules).
_QWEN3_NEXT_LINEAR_LAYER = ("linear_attn.in_proj_qkvz", "linear_attn.in_proj_ba", "linear_attn.out_proj")
_QWEN3_NEXT_FULL_LAYER = _QWEN3_5_FULL_LAYER
_QWEN3_NEXT_ATTN = ("in_proj_qkvz", "in_proj_ba", "out_proj", "q_proj", "k_proj", "v_proj", "o_proj")
#: transformers 5.23's counts (sum of p.numel() of Qwen3NextForCausalLM built on the meta device with
#: AutoModelForCausalLM.from_config): the released 80B config (its mtp.* layer is not built) and the L4 cut.
_QWEN3_NEXT_PARAMS = 79_674_391_296
_QWEN3_NEXT_L4_PARAMS = 7_210_003_520


def _qwen3_next_release() -> dict[str, Any]:
    """Qwen3-Next-80B-A3B-Instruct's config.json as released: the L4 cut is that file with num_hidden_layers 4 and
    the first four layer_types written out (the release has none: full_attention_interval 4 decides)."""
    config = json.loads((ROOT / "calibration" / "families" / "qwen3-next-80b-a3b-L4" / "config.json").read_text())
    assert config.pop("layer_types") == ["linear_attention"] * 3 + ["full_attention"]
    return {**config, "num_hidden_layers": 48}


def test_qwen3_next_hub_ids_and_released_config_read_as_the_entry(tmp_path: Path) -> None:
    """Each Qwen3-Next repo resolves to the entry (the Instruct release its hub id, so the Instruct is what a script
    trains), whose size is transformers' own count; the released config.json reads as the entry (36 linear layers
    from full_attention_interval, the fused Gated DeltaNet names, a gated shared expert, no MLP target)."""
    from ftguide.catalog import read_config, resolve_model
    from ftguide.engine import trained_model

    ids = (
        "Qwen/Qwen3-Next-80B-A3B-Instruct",
        "Qwen/Qwen3-Next-80B-A3B-Thinking",
        "unsloth/Qwen3-Next-80B-A3B-Instruct",
        "unsloth/Qwen3-Next-80B-A3B-Thinking",
        "unsloth/Qwen3-Next-80B-A3B-Instruct-bnb-4bit",
        "qwen3-next-80b-a3b",
    )
    for hub_id in ids:
        assert resolve_model(hub_id).name == "qwen3-next-80b-a3b", hub_id
    entry = resolve_model("qwen3-next-80b-a3b")
    assert entry.hf_id == "Qwen/Qwen3-Next-80B-A3B-Instruct"
    assert trained_model("Qwen/Qwen3-Next-80B-A3B-Instruct", entry)[0] == "Qwen/Qwen3-Next-80B-A3B-Instruct"
    assert trained_model("Qwen/Qwen3-Next-80B-A3B-Thinking", entry)[0] == "Qwen/Qwen3-Next-80B-A3B-Thinking"
    assert entry.total_params() == _QWEN3_NEXT_PARAMS and entry.params_b == 79.67
    (tmp_path / "config.json").write_text(json.dumps(_qwen3_next_release()))
    local = read_config(tmp_path / "config.json")
    fields = ("model_type", "architecture", "dense_layers", *_LINEAR_ATTENTION_ENTRY_FIELDS)
    assert {f: getattr(local, f) for f in fields} == {f: getattr(entry, f) for f in fields}
    assert (local.linear_attention_layers, local.attention_modules, local.mlp_modules) == (36, _QWEN3_NEXT_ATTN, ())
    assert local.total_params() == _QWEN3_NEXT_PARAMS


def test_qwen3_next_agrees_with_its_committed_probe() -> None:
    """The record agrees with the committed 5.23 probe: the fused Gated DeltaNet projections before the full
    attention's, fused experts bitsandbytes leaves 16-bit, MLP names PEFT moves onto them, flex_attention refused."""
    committed = json.loads((ROOT / "calibration" / "families" / "probe-transformers-5.23.json").read_text())
    family = family_of("qwen3_next")
    assert disagreements(family, committed["families"]["qwen3_next"]) == {}
    assert family.attention_modules == _QWEN3_NEXT_ATTN and family.targetable_mlp_modules == ()
    assert family.peft_moves_mlp_targets and not family.accepts("flex_attention") and family.accepts("sdpa")
    assert family.axolotl_attention_kernels  # Axolotl 0.19 has Qwen3NextAttention's gated QKV pattern
    assert family.unsloth_fails is None and family.missing_on == ()


def test_qwen3_next_calibration_cut_reads_as_its_family() -> None:
    """The L4 cut (the released config.json at 4 layers: three linear, one full) reads as the family, one group per
    kind, at transformers' count of it (AutoConfig.from_pretrained of the folder, then from_config on meta)."""
    from ftguide.catalog import read_config

    config = read_config(ROOT / "calibration" / "families" / "qwen3-next-80b-a3b-L4" / "config.json")
    assert (config.model_type, config.architecture, config.num_hidden_layers) == (
        "qwen3_next",
        "Qwen3NextForCausalLM",
        4,
    )
    assert config.linear_attention_layers == 3 and config.shared_expert_gate and config.num_experts == 512
    groups = [(count, group.is_linear_attention) for count, group in config.layer_groups()]
    assert groups == [(1, False), (3, True)]
    assert config.total_params() == _QWEN3_NEXT_L4_PARAMS


def test_qwen3_next_shape_model_fused_linear_attention_layers() -> None:
    """Each kind of layer holds only its own modules, at transformers' shapes (weights (out, in) of layers 0 and 3 of
    the meta-built 80B), and its parameters are transformers' count for that layer: 1,648,531,648 (linear) and
    1,642,076,672 (full); the fused projections are priced once (no split Qwen3.5 names), the mixer as Qwen3.5's."""
    from ftguide import memory
    from ftguide.catalog import resolve_model

    arch = resolve_model("qwen3-next-80b-a3b")
    full, linear = (group for _, group in arch.layer_groups())
    assert (full.is_linear_attention, linear.is_linear_attention) == (False, True)
    assert linear.module_shapes() == {
        "in_proj_qkvz": (2048, 12288, 1),  # 2 x 16 x 128 (q, k) + 2 x 32 x 128 (v, z)
        "in_proj_ba": (2048, 64, 1),  # beta and the decay's input, one per value head
        "out_proj": (4096, 2048, 1),
    }
    assert full.module_shapes() == {
        "q_proj": (2048, 8192, 1),  # the queries and the sigmoid output gate
        "k_proj": (2048, 512, 1),
        "v_proj": (2048, 512, 1),
        "o_proj": (4096, 2048, 1),
    }
    assert [name.split(".")[-1] for name in _QWEN3_NEXT_LINEAR_LAYER] == list(linear.module_shapes())
    assert [name.split(".")[-1] for name in _QWEN3_NEXT_FULL_LAYER] == list(full.module_shapes())
    h, conv_etc = 2048, (2 * 2048 + 4096) * 4 + 2 * 32 + 128  # conv1d, A_log, dt_bias, the gated norm's weight
    assert linear.linear_params_per_layer() + 2 * h + conv_etc == 1_648_531_648
    assert full.linear_params_per_layer() + 2 * h + 2 * 256 == 1_642_076_672  # q_norm, k_norm
    # The linear layers' mixer is priced from the trace (the same tensors as Qwen3.5's); the full layers carry the
    # output gate and the q/k norms.
    qwen35 = next(g for _, g in resolve_model("qwen3.5-35b-a3b").layer_groups() if g.is_linear_attention)
    assert memory.linear_attention_bytes(linear) == memory.linear_attention_bytes(qwen35) == 390_208.0
    assert memory.qk_norm(full) and arch.model_type in memory._PER_EXPERT_CHECKPOINT
    assert arch.model_type in memory._UNSLOTH_OWN_EXPERTS_FORWARD
    assert arch.model_type not in memory._MOE_CHECKPOINTED_ON_UNSLOTH
    # A LoRA target of the other kind adds nothing to a layer (q_proj in a linear layer, in_proj_qkvz in a full one).
    profile = _qwen3_5_profile(arch, ["q_proj", "in_proj_qkvz"])
    assert memory.lora_params(arch, profile) == 16 * (12 * (2048 + 8192) + 36 * (2048 + 12288))


def test_qwen3_next_scripts_target_modules_of_the_model() -> None:
    """``suggest --emit peft / unsloth / axolotl`` for the Instruct release render without error, train the
    Instruct (not another release), load it with AutoModelForCausalLM, and target only module names of the built
    model (the Gated DeltaNet's fused projections and the full attention's; PEFT would move MLP names)."""
    from conftest import run_cli

    names = {m.split(".")[-1] for m in _QWEN3_NEXT_LINEAR_LAYER + _QWEN3_NEXT_FULL_LAYER}
    args = ("suggest", "-n", "800", "--model", "Qwen/Qwen3-Next-80B-A3B-Instruct", "--vram", "192")
    for target in ("peft", "unsloth"):
        for extra in ((), ("--target-modules", "all")):
            done = run_cli(*args, *extra, "--emit", target)
            assert done.returncode == 0, done.stderr
            line = next(x for x in done.stdout.splitlines() if x.strip().startswith("'target_modules':"))
            targets = json.loads(line.split(":", 1)[1].strip().rstrip(",").replace("'", '"'))
            assert set(targets) <= names and {"q_proj", "v_proj"} <= set(targets), (target, extra, targets)
            assert "'base_model': 'Qwen/Qwen3-Next-80B-A3B-Instruct'," in done.stdout
            load = "    model = AutoModelForCausalLM.from_pretrained(args.base_model, **load_kwargs)\n"
            assert target != "peft" or load in done.stdout
    done = run_cli(*args, "--emit", "axolotl")
    assert done.returncode == 0, done.stderr
    assert "base_model: Qwen/Qwen3-Next-80B-A3B-Instruct\n" in done.stdout
    line = next(x for x in done.stdout.splitlines() if x.startswith("lora_target_modules:"))
    assert set(line.split(":", 1)[1].strip(" []").split(", ")) <= names
    assert "lora_qkv_kernel: false" not in done.stdout  # Axolotl's attention kernels stay on


@pytest.mark.integration
def test_qwen3_next_counts_are_transformers_own() -> None:
    """transformers 5.23 (the train tool env) builds Qwen3NextForCausalLM on the meta device from the released config
    and from the L4 cut: its parameter counts are ftguide's, layer by layer."""
    need(TRAIN_PY)
    code = (
        "import json, sys, torch\n"
        "from transformers import AutoConfig, AutoModelForCausalLM\n"
        "out = {}\n"
        "for path in sys.argv[1:]:\n"
        "    config = AutoConfig.from_pretrained(path)\n"
        "    with torch.device('meta'):\n"
        "        model = AutoModelForCausalLM.from_config(config)\n"
        "    layers = [sum(p.numel() for p in layer.parameters()) for layer in model.model.layers]\n"
        "    out[path] = [type(model).__name__, sum(p.numel() for p in model.parameters()), layers[:4]]\n"
        "print(json.dumps(out))\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "config.json").write_text(json.dumps(_qwen3_next_release()))
        cut = str(ROOT / "calibration" / "families" / "qwen3-next-80b-a3b-L4")
        done = tool(TRAIN_PY, "-c", code, tmp, cut, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        out = json.loads(done.stdout.strip().splitlines()[-1])
        linear, full = 1_648_531_648, 1_642_076_672
        assert out[tmp] == ["Qwen3NextForCausalLM", _QWEN3_NEXT_PARAMS, [linear, linear, linear, full]]
        assert out[cut] == ["Qwen3NextForCausalLM", _QWEN3_NEXT_L4_PARAMS, [linear, linear, linear, full]]
