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
from ftguide.catalog import ARCHITECTURES
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
    assert arch.attention_modules == family.targetable_attention_modules
    assert arch.mlp_modules == family.targetable_mlp_modules
    assert arch.min_modules == family.min_modules
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
