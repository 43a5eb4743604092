"""Plan the per-family calibration batch: one truncated real architecture per family, PEFT and Unsloth scripts.

Run here (CPU), before a device call:

    python calibration/families_plan.py --out calibration/work/families
    python calibration/families_plan.py --set heldout --out calibration/work/heldout

Each family is one real architecture with fewer decoder layers (``calibration/families/<name>/config.json``:
the real model's shapes, vocabulary and family fields, ``num_hidden_layers`` cut down so that MoE models fit
the GPU machine's disk and time).  ftguide reads that local config.json like a user's, so the estimate is
the one a user would get for it.  Every configuration is rendered with ftguide's own templates into
``<out>/<id>.py`` and listed in ``<out>/plan.json``; ``calibration/families_runner.py`` runs them.

``--set heldout`` plans a second batch (``HELDOUT``, ids ``ho-<framework>-<config>-<n>``): other architectures of
the catalog's families and other knobs, none of them looked at while the memory model was refined.  Its entries
name the family in ``family`` and the config folder in ``model``; ``arch_of`` / ``family_profile`` take a family
of the first set or a config folder of either set, so ``arch_of(row["model"])`` works for every row.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "calibration"))

from plan import profile_for  # noqa: E402

from ftguide import memory  # noqa: E402
from ftguide.catalog import Architecture, find_family, resolve_model  # noqa: E402
from ftguide.models import Profile  # noqa: E402
from ftguide.render import render  # noqa: E402

CONFIGS = ROOT / "calibration" / "families"

#: family -> (config folder, the catalog model it is cut from, or None when the catalog lacks it).
FAMILIES: dict[str, tuple[str, str | None]] = {
    "llama": ("llama-3.2-3b-L6", "llama-3.2-3b"),
    "mistral": ("mistral-nemo-12b-L3", "mistral-nemo-12b"),
    "qwen2": ("qwen2.5-7b-L4", "qwen2.5-7b"),
    "qwen3": ("qwen3-8b-L4", "qwen3-8b"),
    "gemma2": ("gemma-2-9b-L4", "gemma-2-9b"),
    "gemma3": ("gemma-3-1b", "gemma-3-1b"),
    "phi3": ("phi-3-mini-4k-L8", "phi-3-mini-4k"),
    "mixtral": ("mixtral-8x7b-L2", "mixtral-8x7b-v0.1"),
    "qwen3_moe": ("qwen3-30b-a3b-L4", "qwen3-30b-a3b"),
    "gpt_oss": ("gpt-oss-20b-L2", None),
}

#: Knobs per run: (quant, gc, batch, seq, r, targets).  Pass 0 and 1 are the two runs every family and target
#: gets (4-bit and 16-bit); pass 2 adds the other checkpointing setting where a family term depends on it.
BASE_RUNS = (
    (0, ("4bit", True, 4, 2048, 16, "all")),
    (1, ("none", False, 2, 2048, 32, "all")),
)
EXTRA_RUNS: dict[str, tuple[tuple[str, bool, int, int, int, str], ...]] = {
    "gemma2": (("4bit", False, 1, 4096, 16, "all"), ("none", True, 4, 4096, 16, "all")),
    "gpt_oss": (("4bit", False, 1, 4096, 16, "all"), ("none", True, 2, 4096, 16, "all")),
    "mixtral": (("none", True, 8, 2048, 16, "all"), ("4bit", False, 2, 2048, 16, "all")),
    "qwen3_moe": (("none", True, 8, 2048, 16, "all"), ("4bit", False, 2, 2048, 16, "all")),
}


#: The held-out set: config folder -> (family, the catalog model it is cut from, or None when the catalog lacks
#: it).  qwen2.5-14b-L2 is a Llama class with q/k/v biases, like qwen2.5-7b-L4 (README.md says why).
HELDOUT: dict[str, tuple[str, str | None]] = {
    "llama-3.1-8b-L2": ("llama", "llama-3.1-8b"),
    "mistral-7b-v0.3-L3": ("mistral", "mistral-7b-v0.3"),
    "qwen2.5-14b-L2": ("qwen2", "qwen2.5-14b"),
    "qwen3-4b-L8": ("qwen3", "qwen3-4b"),
    "phi-4-L2": ("phi3", "phi-4"),
    "gemma-3-270m": ("gemma3", "gemma-3-270m"),
    "smollm3-3b-L12": ("smollm3", "smollm3-3b"),
    "olmo-2-7b-L2": ("olmo2", "olmo-2-7b"),
    "granite-3.3-8b-L4": ("granite", "granite-3.3-8b"),
    "mixtral-8x22b-L1": ("mixtral", None),
    "gpt-oss-120b-L1": ("gpt_oss", "gpt-oss-120b"),
    "qwen3-235b-a22b-L1": ("qwen3_moe", None),
}

Knobs = tuple[str, bool, int, int, int, str]
#: Runs per held-out config, (quant, gc, batch, seq, r, targets), the same for both frameworks; the first two of
#: each config run first (priority 0).  On the MoE configs "all" is the attention (fused experts are no Linear).
HELDOUT_RUNS: dict[str, tuple[Knobs, ...]] = {
    "llama-3.1-8b-L2": (
        ("4bit", False, 2, 4096, 64, "all"),
        ("none", True, 8, 1024, 8, "attention"),
        ("none", False, 1, 8192, 16, "all"),
    ),
    "mistral-7b-v0.3-L3": (("4bit", True, 8, 2048, 8, "attention"), ("none", False, 4, 1024, 64, "all")),
    "qwen2.5-14b-L2": (("4bit", True, 2, 4096, 16, "all"), ("none", False, 4, 2048, 8, "attention")),
    "qwen3-4b-L8": (
        ("4bit", False, 4, 1024, 64, "all"),
        ("none", True, 2, 8192, 16, "all"),
        ("none", False, 8, 1024, 16, "attention"),
    ),
    "phi-4-L2": (("4bit", False, 8, 1024, 16, "all"), ("none", True, 1, 4096, 64, "attention")),
    "gemma-3-270m": (("4bit", True, 8, 4096, 16, "all"), ("none", False, 2, 4096, 8, "attention")),
    "smollm3-3b-L12": (
        ("4bit", True, 4, 4096, 8, "all"),
        ("none", False, 2, 2048, 64, "attention"),
        ("none", True, 8, 1024, 16, "all"),
    ),
    "olmo-2-7b-L2": (("4bit", False, 4, 2048, 16, "attention"), ("none", True, 2, 4096, 64, "all")),
    "granite-3.3-8b-L4": (
        ("4bit", True, 2, 4096, 64, "all"),
        ("none", False, 8, 1024, 16, "all"),
        ("4bit", False, 2, 2048, 8, "attention"),
    ),
    "mixtral-8x22b-L1": (
        ("4bit", True, 4, 2048, 16, "attention"),
        ("none", False, 2, 1024, 8, "all"),
        ("none", True, 1, 4096, 64, "all"),
    ),
    "gpt-oss-120b-L1": (
        ("4bit", True, 2, 2048, 16, "all"),
        ("none", False, 1, 2048, 8, "all"),
        ("4bit", False, 1, 1024, 64, "attention"),
    ),
    "qwen3-235b-a22b-L1": (
        ("4bit", True, 8, 1024, 16, "all"),
        ("none", False, 2, 2048, 64, "attention"),
        ("4bit", False, 4, 1024, 8, "all"),
    ),
}


def _folder(name: str) -> str:
    """The config folder of a first-set family name, or ``name`` itself when it is a config folder of either set."""
    if name in FAMILIES:
        return FAMILIES[name][0]
    if any(name in table for table in _HELDOUT_TABLES) or name in {f for f, _ in FAMILIES.values()}:
        return name
    raise KeyError(f"{name!r} is neither a family of FAMILIES nor a config folder of FAMILIES or HELDOUT")


def config_path(family: str) -> Path:
    """The config.json of a first-set family, or of a config folder of either set."""
    return CONFIGS / _folder(family) / "config.json"


def arch_of(family: str) -> Architecture:
    """The architecture ftguide reads from the family's local config.json (as for a user's local model).

    ``family`` is a key of ``FAMILIES`` or a config folder name of either set (a plan entry's ``model``)."""
    return resolve_model(str(config_path(family)))


def family_profile(
    family: str, *, quant: str, gc: bool, batch: int, seq: int, r: int, targets: str, dropout: float
) -> Profile:
    profile = profile_for(
        str(config_path(family)), quant=quant, gc=gc, batch=batch, seq=seq, r=r, targets=targets, dropout=dropout
    )
    arch = arch_of(family)
    record = find_family(arch.model_type)
    if record is not None and record.default_attn != "sdpa":
        # As ftguide's attention rule renders it: eager where the family's class refuses SDPA (Gemma-2, gpt-oss,
        # VaultGemma).
        profile = profile.model_copy(update={"attn_implementation": "eager"})
    return profile


def family_configs() -> list[dict[str, object]]:
    configs: list[dict[str, object]] = []
    for family in FAMILIES:
        runs = [(p, k) for p, k in BASE_RUNS] + [(2, k) for k in EXTRA_RUNS.get(family, ())]
        for framework in ("peft", "unsloth"):
            for n, (priority, (quant, gc, batch, seq, r, targets)) in enumerate(runs):
                dropout = 0.05 if framework == "peft" else 0.0
                knobs = {"quant": quant, "gc": gc, "batch": batch, "seq": seq, "r": r, "targets": targets}
                profile = family_profile(family, dropout=dropout, **knobs)  # type: ignore[arg-type]
                arch = arch_of(family)
                configs.append(
                    {
                        "id": f"fam-{framework}-{family}-{n}",
                        "framework": framework,
                        "family": family,
                        "model": FAMILIES[family][0],
                        "catalog_model": FAMILIES[family][1],
                        "config": str(config_path(family).relative_to(ROOT)),
                        **knobs,
                        "dropout": dropout,
                        "attn": profile.attn_implementation,
                        "priority": priority,
                        "estimate_gib": round(memory.total_gib(profile, arch, framework), 2),
                    }
                )
    return configs


def unsloth_skips(name: str) -> str | None:
    """Why a held-out config gets no Unsloth runs (its family record's ``unsloth_fails``), or None."""
    family = find_family(arch_of(name).model_type)
    return family.unsloth_fails if family is not None else None


#: Round 2 of the held-out set (``--set heldout2``, ids ``h2-...``): the same architectures with knobs no run
#: of round 1 used, planned after round 1 had shaped the model, to judge the model that round 1 left.
#: gpt-oss-120b-L1 is left out (its 8.7 GB checkpoint would not leave the device call time to train), and so is
#: Gemma-3-270m under Unsloth (both round-1 runs hung until killed).
HELDOUT2_RUNS: dict[str, tuple[Knobs, ...]] = {
    "llama-3.1-8b-L2": (("4bit", True, 4, 2048, 32, "all"), ("none", True, 2, 4096, 16, "all")),
    "mistral-7b-v0.3-L3": (("none", True, 4, 2048, 16, "all"), ("4bit", False, 2, 2048, 32, "all")),
    "qwen2.5-14b-L2": (("none", True, 2, 2048, 32, "all"), ("4bit", False, 2, 1024, 16, "all")),
    "qwen3-4b-L8": (("4bit", True, 4, 2048, 32, "all"), ("none", True, 4, 2048, 8, "attention")),
    "phi-4-L2": (("4bit", True, 4, 2048, 32, "all"), ("none", False, 2, 2048, 16, "all")),
    "gemma-3-270m": (("none", True, 4, 4096, 32, "all"), ("4bit", False, 4, 2048, 16, "all")),
    "smollm3-3b-L12": (("4bit", False, 2, 2048, 32, "all"), ("none", True, 4, 2048, 16, "attention")),
    "olmo-2-7b-L2": (("4bit", True, 4, 2048, 32, "all"), ("none", False, 2, 2048, 16, "all")),
    "granite-3.3-8b-L4": (("none", True, 4, 2048, 32, "all"), ("4bit", True, 8, 1024, 16, "attention")),
    "mixtral-8x22b-L1": (("4bit", False, 2, 2048, 16, "all"), ("none", True, 4, 2048, 16, "all")),
    "qwen3-235b-a22b-L1": (("none", True, 4, 2048, 16, "all"), ("4bit", True, 2, 2048, 32, "all")),
}


#: Round 3 (``--set round3``, ids ``h3-...``): architectures no earlier run used, planned after the changes that
#: round 2 and its traces led to, to judge that model.  Config folder -> (family, the catalog model it is cut
#: from, or None when the catalog lacks it).  Gemma-2 gets no Unsloth run (its family record says why), nor
#: Gemma-3 (it hung in three of four earlier runs).
ROUND3: dict[str, tuple[str, str | None]] = {
    "llama-3.3-70b-L1": ("llama", "llama-3.3-70b"),
    "smollm2-1.7b-L8": ("llama", "smollm2-1.7b"),
    "qwen3-14b-L3": ("qwen3", "qwen3-14b"),
    "gemma-2-2b": ("gemma2", "gemma-2-2b"),
    "gemma-3-12b-L6": ("gemma3", "gemma-3-12b"),
    "phi-3-medium-4k-L4": ("phi3", "phi-3-medium-4k"),
    "olmo-2-13b-L3": ("olmo2", "olmo-2-13b"),
    "glm-4-9b-L3": ("glm4", "glm-4-9b-0414"),
    "ernie-4.5-0.3b": ("ernie4_5", "ernie-4.5-0.3b"),
    "olmoe-1b-7b-L4": ("olmoe", "olmoe-1b-7b"),
}
#: Knobs no earlier run used (batch 3 and 6, sequence 1536 and 3072, rank 24 and 128, dropout 0.1).
ROUND3_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 3, 3072, 24, "all"), 0.1),
    (("none", True, 6, 1536, 128, "all"), 0.05),
    (("none", False, 3, 1536, 16, "attention"), 0.0),
)


#: Round 4 (``--set round4``, ids ``h4-...``): the same, after round 3's fixes, with other architectures (three
#: more families new to the catalog) and other knobs again.
ROUND4: dict[str, tuple[str, str | None]] = {
    "qwen3-32b-L2": ("qwen3", "qwen3-32b"),
    "gemma-2-27b-L2": ("gemma2", "gemma-2-27b"),
    "gemma-3-27b-L3": ("gemma3", "gemma-3-27b"),
    "smollm2-360m-L12": ("llama", "smollm2-360m"),
    "qwen2.5-3b-L8": ("qwen2", "qwen2.5-3b"),
    "phi-3.5-moe-L1": ("phimoe", "phi-3.5-moe"),
    "granite-3.1-3b-a800m-L8": ("granitemoe", "granite-3.1-3b-a800m"),
    "exaone-4.0-1.2b": ("exaone4", "exaone-4.0-1.2b"),
    # Round 3's MoE again, at round 4's knobs (round 3's fixes were not made for it: its errors were 2-3%).
    "olmoe-1b-7b-L4": ("olmoe", "olmoe-1b-7b"),
}
#: Batch 2, 4 and 5, sequence 1280, 2560 and 5120, rank 8, 48 and 96, dropout 0 and 0.1 with checkpointing.
ROUND4_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 5, 2560, 48, "all"), 0.0),
    (("none", True, 2, 5120, 8, "all"), 0.1),
    (("4bit", False, 4, 1280, 96, "attention"), 0.05),
)
#: Round 5 (``--set round5``, ids ``h5-...``): more architectures no run used, judged by the same model as round
#: 4 (nothing changed between them), with knobs again new; two MoE seen before, at new knobs.
ROUND5: dict[str, tuple[str, str | None]] = {
    "llama-2-13b-L2": ("llama", "llama-2-13b"),
    "llama-3.1-405b-L1": ("llama", "llama-3.1-405b"),
    "qwen2.5-72b-L1": ("qwen2", "qwen2.5-72b"),
    "qwen3-0.6b": ("qwen3", "qwen3-0.6b"),
    "smollm2-135m": ("llama", "smollm2-135m"),
    "gemma-3-4b-L8": ("gemma3", "gemma-3-4b"),
    "granite-3.1-3b-a800m-L8": ("granitemoe", "granite-3.1-3b-a800m"),
    "gpt-oss-120b-L1": ("gpt_oss", "gpt-oss-120b"),
}
#: Batch 1, 3 and 7, sequence 1792, 4096 and 7168, rank 12, 32 and 64.
ROUND5_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 7, 1792, 12, "all"), 0.05),
    (("none", False, 1, 7168, 32, "all"), 0.0),
    (("none", True, 3, 4096, 64, "attention"), 0.1),
)
#: Round 6 (``--set round6``, ids ``h6-...``): five families no run used (olmo3, seed_oss, hunyuan_v1_dense,
#: flex_olmo, minimax_m2), planned after the fp32-layer change (the fit then took rounds 1-5), with knobs again
#: new; Unsloth runs the first two knobs of each, on rows of exactly ``seq`` tokens (its padding-free batches then
#: hold b x s tokens).
ROUND6: dict[str, tuple[str, str | None]] = {
    "olmo-3-7b-L4": ("olmo3", "olmo-3-7b"),
    "olmo-3-32b-L4": ("olmo3", "olmo-3-32b"),
    "seed-oss-36b-L3": ("seed_oss", "seed-oss-36b"),
    "hunyuan-7b-L8": ("hunyuan_v1_dense", "hunyuan-7b"),
    "flexolmo-7x7b-1t-L2": ("flex_olmo", "flexolmo-7x7b-1t"),
    "minimax-m2-L1": ("minimax_m2", "minimax-m2"),
}
#: Batch 2, 3 and 6, sequence 1536 and 3072, rank 16, 24 and 40.
ROUND6_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 6, 1536, 24, "all"), 0.0),
    (("none", False, 2, 3072, 40, "attention"), 0.05),
    (("4bit", False, 3, 3072, 16, "all"), 0.1),
)
#: Round 7 (``--set round7``, ids ``h7-...``): two more families no run used (helium, stablelm), whole models,
#: planned after round 6's changes were final, knobs again new.
ROUND7: dict[str, tuple[str, str | None]] = {
    "helium-1-preview-2b": ("helium", "helium-1-preview-2b"),
    "stablelm-2-1.6b": ("stablelm", "stablelm-2-1.6b"),
}
#: Batch 1, 4 and 8, sequence 1024, 2560 and 4096, rank 8, 32 and 128.
ROUND7_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 4, 2560, 32, "all"), 0.05),
    (("none", False, 8, 1024, 128, "all"), 0.0),
    (("4bit", False, 1, 4096, 8, "attention"), 0.1),
)
#: Round 8 (``--set round8``, ids ``h8-...``): MoE families with shared experts and dense layers, new to the
#: catalog with the shape model's shared experts (qwen2_moe, hunyuan_v1_moe, glm4_moe, ernie4_5_moe), planned
#: before any of them ran, knobs again new; Unsloth runs the first three knobs.
ROUND8: dict[str, tuple[str, str | None]] = {
    "qwen1.5-moe-a2.7b-L4": ("qwen2_moe", "qwen1.5-moe-a2.7b"),
    "qwen2-57b-a14b-L1": ("qwen2_moe", "qwen2-57b-a14b"),
    "hunyuan-a13b-L1": ("hunyuan_v1_moe", "hunyuan-a13b"),
    "glm-4.5-air-L2": ("glm4_moe", "glm-4.5-air"),
    "ernie-4.5-21b-a3b-L4": ("ernie4_5_moe", "ernie-4.5-21b-a3b"),
}
#: Batch 2, 3 and 5, sequence 1280, 2304, 2816 and 3584, rank 8, 12, 20 and 56; 16-bit with checkpointing too.
ROUND8_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 5, 2304, 20, "all"), 0.05),
    (("none", True, 4, 3584, 8, "all"), 0.0),
    (("none", False, 3, 1280, 56, "all"), 0.0),
    (("4bit", False, 2, 2816, 12, "attention"), 0.1),
)
#: Round 9 (``--set round9``, ids ``h9-...``): the final model of round 8 judged at knobs no earlier run used, on
#: round 8's configs (never fitted) and on dots.llm1 (a fifth family with shared experts, new to the catalog).
ROUND9: dict[str, tuple[str, str | None]] = {
    **ROUND8,
    "dots.llm1-L2": ("dots1", "dots.llm1"),
}
#: Batch 2 and 3, sequence 4096 and 5632, rank 16 and 32; both knobs under Unsloth too.
ROUND9_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 3, 4096, 16, "all"), 0.0),
    (("none", True, 2, 5632, 32, "all"), 0.05),
)
#: Round 10 (``--set round10``, ids ``h10-...``): five families new to the catalog this session, never fitted and
#: planned after the model was final: Llama 4 (an MoE with a shared expert and top-1 routing, fused experts in
#: the checkpoint), Cohere and Cohere2 (one norm per layer, attention and MLP in parallel, a 256k tied
#: vocabulary), Gemma 1 (Unsloth's hand-written fast path, never measured there) and Ministral; knobs again new.
ROUND10: dict[str, tuple[str, str | None]] = {
    "llama-4-scout-17b-16e-L1": ("llama4_text", "llama-4-scout-17b-16e"),
    "command-r-35b-L2": ("cohere", "command-r-v01"),
    "command-r7b-L8": ("cohere2", "command-r7b-12-2024"),
    "gemma-7b-L8": ("gemma", "gemma-7b"),
    "ministral-8b-L8": ("ministral", "ministral-8b"),
}
#: Batch 1, 2 and 4, sequence 1792, 2560 and 3328, rank 24, 48 and 96; every knob under Unsloth too.
ROUND10_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 4, 1792, 48, "all"), 0.05),
    (("none", True, 2, 3328, 24, "all"), 0.0),
    (("none", False, 1, 2560, 96, "attention"), 0.1),
)
#: Round 11 (``--set round11``, ids ``h11-...``): the model after round 10's changes (Unsloth's fast path rebuilds a
#: checkpointed layer at its own price, Llama 4's PEFT allocator slack), judged on every family never fitted: the
#: families new to the catalog since round 10 (never run before), two new cuts of round 10's families (Gemma 2B
#: whole, Aya Expanse 8B) and the configs of rounds 6-10 at knobs no earlier run used.  Planned before it runs.
ROUND11: dict[str, tuple[str, str | None]] = {
    "solar-open-100b-L1": ("solar_open", "solar-open-100b"),
    "glm-4-9b-hf-L8": ("glm", "glm-4-9b-hf"),
    "internlm3-8b-L8": ("internlm3", "internlm3-8b"),
    "gemma-2b": ("gemma", "gemma-2b"),
    "aya-expanse-8b-L8": ("cohere", "aya-expanse-8b"),
    "llama-4-scout-17b-16e-L1": ("llama4_text", "llama-4-scout-17b-16e"),
    "command-r7b-L8": ("cohere2", "command-r7b-12-2024"),
    "ministral-8b-L8": ("ministral", "ministral-8b"),
    "olmo-3-32b-L4": ("olmo3", "olmo-3-32b"),
    "seed-oss-36b-L3": ("seed_oss", "seed-oss-36b"),
    "hunyuan-7b-L8": ("hunyuan_v1_dense", "hunyuan-7b"),
    "flexolmo-7x7b-1t-L2": ("flex_olmo", "flexolmo-7x7b-1t"),
    "minimax-m2-L1": ("minimax_m2", "minimax-m2"),
    "helium-1-preview-2b": ("helium", "helium-1-preview-2b"),
    "stablelm-2-1.6b": ("stablelm", "stablelm-2-1.6b"),
    "qwen1.5-moe-a2.7b-L4": ("qwen2_moe", "qwen1.5-moe-a2.7b"),
    "hunyuan-a13b-L1": ("hunyuan_v1_moe", "hunyuan-a13b"),
    "glm-4.5-air-L2": ("glm4_moe", "glm-4.5-air"),
    "ernie-4.5-21b-a3b-L4": ("ernie4_5_moe", "ernie-4.5-21b-a3b"),
    "dots.llm1-L2": ("dots1", "dots.llm1"),
}
#: Batch 2, 3 and 6, sequence 1664, 1920, 2176 and 3840, rank 20, 28, 36 and 80.
ROUND11_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 6, 1920, 28, "all"), 0.05),
    (("none", True, 3, 3840, 80, "all"), 0.0),
    (("none", False, 2, 1664, 36, "attention"), 0.1),
    (("4bit", False, 2, 2176, 20, "all"), 0.0),
)
#: The families new to the catalog since round 10 get every knob under PEFT and the first three under Unsloth; each
#: earlier config gets one knob under each, rotating over the table so that every knob runs on both targets.
ROUND11_NEW: tuple[str, ...] = ("solar-open-100b-L1", "glm-4-9b-hf-L8", "internlm3-8b-L8")
#: InternLM3 has no class in Unsloth's transformers (5.17; 5.23 builds it as Llama), so it runs under PEFT only.
_PEFT_ONLY = frozenset({"internlm3-8b-L8"})


Picks = dict[str, tuple[tuple[int, ...], tuple[int, ...]]]


def round11_picks() -> Picks:
    """Config folder -> (the knob indices it runs under PEFT, under Unsloth)."""
    picks: Picks = {name: ((0, 1, 2, 3), () if name in _PEFT_ONLY else (0, 1, 2)) for name in ROUND11_NEW}
    for n, name in enumerate(name for name in ROUND11 if name not in ROUND11_NEW):
        picks[name] = ((n % 4,), ((n + 1) % 4,))
    return picks


#: Round 12 (``--set round12``, ids ``h12-...``): the model after round 11's changes (Unsloth's MoE backward under
#: checkpointing, its MoE layers' kept tensors at their traced price, PEFT's 4-bit load beside a shared expert), judged
#: on OLMo 1 (olmo, new to the catalog, every knob) and two cuts no run used of never-fitted families with q/k norms
#: (Command R+ and GLM-4.5, one knob per target); knobs again new.  Planned before it runs.
ROUND12: dict[str, tuple[str, str | None]] = {
    "olmo-7b-hf-L12": ("olmo", "olmo-7b-hf"),
    "command-r-plus-L1": ("cohere", "command-r-plus"),
    "glm-4.5-L1": ("glm4_moe", "glm-4.5"),
}
#: Batch 2, 3 and 5, sequence 1152, 1408, 2432 and 4608, rank 12, 16, 24 and 44.
ROUND12_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 5, 2432, 44, "all"), 0.05),
    (("none", True, 2, 4608, 12, "all"), 0.0),
    (("none", False, 3, 1152, 24, "attention"), 0.1),
    (("4bit", False, 3, 1408, 16, "all"), 0.0),
)
#: Configs whose runs go first in their round (the families new to the catalog, and rounds 12 and 13's every config).
_FIRST = frozenset(ROUND11_NEW) | frozenset(
    {"olmo-7b-hf-L12", "command-r-plus-L1", "glm-4.5-L1", "vaultgemma-1b", "north-mini-code-1.0-L5"}
)
ROUND12_PICKS: Picks = {
    "olmo-7b-hf-L12": ((0, 1, 2, 3), (0, 1, 2)),
    "command-r-plus-L1": ((0,), (1,)),
    "glm-4.5-L1": ((3,), (0,)),
}

#: Round 13 (``--set round13``, ids ``h13-...``): the model after round 12's changes (every round fitted, PEFT's 16-bit
#: recomputed layer fitted, FastModel's last MoE layer at its own fitted price, OLMo 1's LayerNorm priced as RMSNorm),
#: judged on the families new to the catalog since it was fitted: VaultGemma (Gemma 2's code less two norms, eager
#: under PEFT, whole) and Cohere's North MoE (cohere2_moe), every knob under PEFT, three under Unsloth.  Knobs no run
#: used; VaultGemma's context is 1024 tokens, so it has knobs of its own.  Planned before it runs.
ROUND13: dict[str, tuple[str, str | None]] = {
    "vaultgemma-1b": ("vaultgemma", "vaultgemma-1b"),
    "north-mini-code-1.0-L5": ("cohere2_moe", "north-mini-code-1.0"),
}
#: Knobs 0-3: batch 2, 3 and 4, sequence 1216, 1600, 2688 and 2944, rank 8, 20, 40 and 56; knobs 4-7, at most 1024
#: tokens: batch 4, 6, 8 and 12, sequence 768, 896 and 1024.
ROUND13_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 4, 2688, 40, "all"), 0.05),
    (("none", True, 3, 2944, 20, "all"), 0.0),
    (("none", False, 2, 1600, 56, "attention"), 0.1),
    (("4bit", False, 3, 1216, 8, "all"), 0.0),
    (("4bit", True, 8, 1024, 40, "all"), 0.05),
    (("none", True, 12, 1024, 20, "all"), 0.0),
    (("none", False, 6, 896, 56, "attention"), 0.1),
    (("4bit", False, 4, 768, 8, "all"), 0.0),
)
ROUND13_PICKS: Picks = {
    "vaultgemma-1b": ((4, 5, 6, 7), (4, 5, 6)),
    "north-mini-code-1.0-L5": ((0, 1, 2, 3), (0, 1, 2)),
}

#: Round 14 (``--set round14``, ids ``h14-...``): a depth check, not a blind round (OLMoE is fitted): OLMoE-1B-7B at
#: its full 16 layers, where every fitted OLMoE run was a 4-layer cut, so that the per-layer MoE terms (Unsloth's
#: layers kept through checkpointing, the last one apart) are judged where a user's model has them all.
ROUND14: dict[str, tuple[str, str | None]] = {
    "olmoe-1b-7b": ("olmoe", "olmoe-1b-7b"),
}
#: Batch 2 and 4, sequence 1536 and 2560, rank 16 and 32.
ROUND14_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 4, 1536, 16, "all"), 0.05),
    (("none", True, 2, 2560, 32, "all"), 0.0),
    (("none", False, 2, 1536, 16, "attention"), 0.0),
)
ROUND14_PICKS: Picks = {"olmoe-1b-7b": ((0, 1, 2), (0, 1, 2))}

#: Round 15 (``--set round15``, ids ``h15-...``): Apertus, new to the catalog (an ungated xIELU MLP, the first
#: family without a gate to run; per-head QK-norm), whole (32 layers) and as an 8-layer cut, on the model fitted to
#: every earlier round, planned before any Apertus run; and Granite 3.1 3B-A800M whole (32 layers; fitted only as
#: 8-layer cuts) on Unsloth in 16-bit with attention adapters, the depth check of the routed-output block that
#: traces15 found in its cut.
ROUND15: dict[str, tuple[str, str | None]] = {
    "apertus-8b": ("apertus", "apertus-8b"),
    "apertus-8b-L8": ("apertus", "apertus-8b"),
    "granite-3.1-3b-a800m": ("granitemoe", "granite-3.1-3b-a800m"),
}
#: Batch 1 to 4, sequence 1152 to 3072, rank 8 to 48, knobs no earlier run used.
ROUND15_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 3072, 24, "all"), 0.05),
    (("none", True, 3, 1792, 12, "all"), 0.0),
    (("none", False, 2, 1280, 48, "attention"), 0.1),
    (("4bit", False, 2, 1408, 8, "all"), 0.0),
    (("4bit", True, 4, 1152, 32, "all"), 0.0),
    (("none", False, 1, 2304, 16, "all"), 0.05),
    (("none", True, 4, 1536, 16, "attention"), 0.0),
)
ROUND15_PICKS: Picks = {
    "apertus-8b": ((0, 1, 2, 3), (0, 1, 5)),
    "apertus-8b-L8": ((1, 2, 4, 5), (2, 3, 4)),
    "granite-3.1-3b-a800m": ((), (2, 6)),
}

#: Round 16 (``--set round16``, ids ``h16-...``): a new cut of Apertus, with Apertus-70B's shapes (hidden 8192, 64 / 8
#: heads of 128, xIELU MLP of width 43008; 2 of its 80 layers), knobs no run used, planned after PEFT's xIELU terms
#: were set from round 15's traces (traces15b.jsonl, 8 layers of the 8B): it judges them on shapes they were not set on.
ROUND16: dict[str, tuple[str, str | None]] = {
    "apertus-70b-L2": ("apertus", "apertus-8b"),
}
ROUND16_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 3, 2560, 16, "all"), 0.0),
    (("none", True, 2, 3584, 32, "all"), 0.05),
    (("none", False, 4, 1024, 8, "all"), 0.0),
    (("4bit", False, 1, 3328, 64, "attention"), 0.1),
    (("none", False, 2, 1664, 24, "attention"), 0.0),
)
ROUND16_PICKS: Picks = {"apertus-70b-L2": ((0, 1, 2, 3), (1, 4))}

#: Round 17 (``--set round17``, ids ``h17-...``): Nemotron (Minitron 4B), new to the catalog (an ungated squared-ReLU
#: MLP, priced by the generic one-input rule no run has judged; LayerNorm1P, priced as the other families' norms;
#: half-rotary heads), whole and as an 8-layer cut, planned and run on the final model before any Nemotron run.
ROUND17: dict[str, tuple[str, str | None]] = {
    "minitron-4b": ("nemotron", "minitron-4b"),
    "minitron-4b-L8": ("nemotron", "minitron-4b"),
}
ROUND17_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 2816, 24, "all"), 0.0),
    (("none", True, 4, 1920, 12, "all"), 0.05),
    (("none", False, 2, 1408, 40, "attention"), 0.0),
    (("4bit", False, 3, 896, 16, "all"), 0.1),
    (("none", False, 1, 3456, 8, "all"), 0.0),
)
ROUND17_PICKS: Picks = {"minitron-4b": ((0, 1, 2), (0, 4)), "minitron-4b-L8": ((1, 3, 4), (1, 2))}

#: Round 18 (``--set round18``, ids ``h18-...``): two families new to the catalog, planned and run on the final model
#: before any run of either: Arcee's AFM-4.5B (arcee: an ungated squared-ReLU MLP, priced by the Nemotron trace of
#: traces18.jsonl; whole and 8 of its 36 layers) and K-EXAONE (exaone_moe: 128 fused experts, top-8, one shared
#: expert, one dense layer, QK-norm and sliding layers; 3 of its 48 layers, the dense one and two sparse), at knobs
#: no run used.
ROUND18: dict[str, tuple[str, str | None]] = {
    "afm-4.5b": ("arcee", "afm-4.5b"),
    "afm-4.5b-L8": ("arcee", "afm-4.5b"),
    "k-exaone-236b-a23b-L3": ("exaone_moe", "k-exaone-236b-a23b"),
}
ROUND18_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 3, 2304, 16, "all"), 0.0),
    (("none", True, 2, 3072, 32, "all"), 0.05),
    (("none", False, 2, 1536, 24, "attention"), 0.0),
    (("4bit", False, 2, 1280, 8, "all"), 0.1),
    (("none", False, 1, 2688, 12, "all"), 0.0),
    (("4bit", True, 4, 1664, 48, "attention"), 0.0),
)
ROUND18_PICKS: Picks = {
    "afm-4.5b": ((0, 2, 4), (0, 2)),
    "afm-4.5b-L8": ((1, 3, 5), (1, 4)),
    "k-exaone-236b-a23b-L3": ((0, 1, 2, 3), (1, 5)),
}

#: Round 19 (``--set round19``, ids ``h19-...``): new cuts of round 18's two families, planned and run on the model
#: set after round 18 had been seen (its squared-ReLU, LayerNorm1P, FastModel-backward and 128-expert stacking
#: terms): AFM-4.5B at 16 of its 36 layers, and K-EXAONE at 4 of its 48 (the dense layer and three sparse ones, the
#: first cut with a global layer), at knobs no run used.
ROUND19: dict[str, tuple[str, str | None]] = {
    "afm-4.5b-L16": ("arcee", "afm-4.5b"),
    "k-exaone-236b-a23b-L4": ("exaone_moe", "k-exaone-236b-a23b"),
}
ROUND19_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 2560, 24, "all"), 0.05),
    (("none", True, 3, 1792, 8, "all"), 0.0),
    (("none", False, 1, 3328, 40, "attention"), 0.1),
    (("4bit", False, 3, 1152, 16, "attention"), 0.0),
    (("none", False, 2, 2048, 16, "all"), 0.0),
)
ROUND19_PICKS: Picks = {
    "afm-4.5b-L16": ((0, 1, 2, 3), (0, 1, 4)),
    "k-exaone-236b-a23b-L4": ((1, 2, 3), (1, 4)),
}

#: Round 20 (``--set round20``, ids ``h20-...``): AFMoE (Arcee's Trinity Mini), new to the catalog, planned and run on
#: the final model before any AFMoE run: 128 fused experts, top-8, one shared expert, two dense layers, and the first
#: gated attention (a sigmoid gate on the attention output, priced from the code) with four norms a layer; 4 of its 32
#: layers (both dense ones and two sparse), at knobs no run used.  Small, for the device time left in its session.
ROUND20: dict[str, tuple[str, str | None]] = {
    "trinity-mini-L4": ("afmoe", "trinity-mini"),
}
ROUND20_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 2048, 16, "all"), 0.0),
    (("none", True, 3, 1536, 32, "all"), 0.05),
    (("none", False, 2, 1792, 8, "attention"), 0.0),
)
ROUND20_PICKS: Picks = {"trinity-mini-L4": ((0, 1, 2), (0, 2))}

#: Round 21 (``--set round21``, ids ``h21-...``): two families new to the catalog, the first with multi-head latent
#: attention, planned and run on the final model before any run of either (their attention's saved tensors and latent
#: norms priced from DeepSeek-V3's modeling code): Moonlight-16B-A3B (deepseek_v3: no query latent, 64 fused experts,
#: top-6, two shared experts, one dense layer; 8 of its 27 layers) and GLM-4.7-Flash (glm4_moe_lite: query and
#: key/value latents, 64 fused experts, top-4, one shared expert, one dense layer; 6 of its 47 layers), at knobs no
#: run used.
ROUND21: dict[str, tuple[str, str | None]] = {
    "moonlight-16b-a3b-L8": ("deepseek_v3", "moonlight-16b-a3b"),
    "glm-4.7-flash-L6": ("glm4_moe_lite", "glm-4.7-flash"),
}
ROUND21_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 2304, 16, "all"), 0.0),
    (("none", True, 3, 1664, 24, "all"), 0.05),
    (("none", False, 2, 1408, 32, "attention"), 0.0),
    (("4bit", False, 2, 1152, 8, "all"), 0.1),
    (("none", False, 1, 2944, 12, "all"), 0.0),
    (("4bit", True, 3, 1920, 40, "attention"), 0.0),
)
ROUND21_PICKS: Picks = {
    "moonlight-16b-a3b-L8": ((0, 1, 2, 3), (1, 4)),
    "glm-4.7-flash-L6": ((0, 2, 4, 5), (0, 2)),
}

#: Round 22 (``--set round22``, ids ``h22-...``): Ministral 3 (ministral3, new to the catalog: Mistral's block with
#: Llama 4's position-dependent query scaling and YaRN), the 3B whole and 8 of the 8B's 34 layers, text models built
#: from the released shapes, planned and run on the final model before any run of the family, at knobs no run used.
ROUND22: dict[str, tuple[str, str | None]] = {
    "ministral-3-3b": ("ministral3", "ministral-3-3b"),
    "ministral-3-8b-L8": ("ministral3", "ministral-3-8b"),
}
ROUND22_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 3, 2176, 16, "all"), 0.0),
    (("none", True, 2, 2688, 32, "all"), 0.05),
    (("none", False, 2, 1280, 24, "attention"), 0.0),
    (("4bit", False, 1, 1536, 8, "all"), 0.1),
)
ROUND22_PICKS: Picks = {
    "ministral-3-3b": ((0, 2, 3), (0,)),
    "ministral-3-8b-L8": ((1, 2, 3), (1,)),
}

#: Round 23 (``--set round23``, ids ``h23-...``): three families new to the catalog, planned and run on the final
#: model (the tensor-by-tensor upcast's load included) before any run of them: Qwen3.5-35B-A3B (qwen3_5_moe_text: Gated
#: DeltaNet linear attention in three of every four layers, gated full attention in the fourth, 256 fused experts,
#: top-8, a gated shared expert; its first 4 of 40 layers), Qwen3.5-9B (qwen3_5_text, the dense sibling; 8 of 32
#: layers) and Mistral Small 4 (mistral4: multi-head latent attention, 128 fused experts, top-4, one shared expert, no
#: dense layer; 4 of 36 layers), at knobs no run used.
ROUND23: dict[str, tuple[str, str | None]] = {
    "qwen3.5-35b-a3b-L4": ("qwen3_5_moe_text", "qwen3.5-35b-a3b"),
    "qwen3.5-9b-L8": ("qwen3_5_text", "qwen3.5-9b"),
    "mistral-small-4-119b-L4": ("mistral4", "mistral-small-4-119b"),
}
ROUND23_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 2432, 16, "all"), 0.0),
    (("none", True, 3, 1792, 24, "all"), 0.05),
    (("none", False, 2, 1536, 16, "attention"), 0.0),
    (("4bit", False, 1, 2048, 32, "all"), 0.1),
    (("none", False, 1, 3072, 8, "all"), 0.0),
)
ROUND23_PICKS: Picks = {
    "qwen3.5-35b-a3b-L4": ((0, 1, 2, 3), (0, 2)),
    "qwen3.5-9b-L8": ((0, 2, 3, 4), (1, 3)),
    "mistral-small-4-119b-L4": ((0, 1, 2, 3), (1, 4)),
}

#: Round 24 (``--set round24``, ids ``h24-...``): the blind judge of the Gated DeltaNet mixer's traced, unfitted term
#: (``linear_mixer``, set having seen round 23's Qwen3.5 runs), planned and run on the final model before any run of
#: these cuts: Qwen3.5-27B (qwen3_5_text: hidden 5120, 48 value heads; its first 4 of 64 layers, three linear and one
#: full), Qwen3.5-2B whole (all 24 layers, tied embeddings) and Qwen3.5-122B-A10B (qwen3_5_moe_text: 256 fused
#: experts of width 1024, top-8, 64 value heads; its first 4 of 48 layers), weighted to 16-bit runs without
#: checkpointing, where round 23 missed, at knobs no run used.
ROUND24: dict[str, tuple[str, str | None]] = {
    "qwen3.5-27b-L4": ("qwen3_5_text", "qwen3.5-27b"),
    "qwen3.5-2b": ("qwen3_5_text", "qwen3.5-2b"),
    "qwen3.5-122b-a10b-L4": ("qwen3_5_moe_text", "qwen3.5-122b-a10b"),
}
ROUND24_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("none", False, 2, 2304, 16, "all"), 0.0),
    (("none", False, 1, 3584, 32, "attention"), 0.05),
    (("4bit", True, 2, 2816, 24, "all"), 0.0),
    (("none", True, 3, 2048, 8, "all"), 0.0),
    (("4bit", False, 2, 1664, 16, "all"), 0.1),
    (("none", False, 3, 1280, 8, "all"), 0.0),
)
ROUND24_PICKS: Picks = {
    "qwen3.5-27b-L4": ((0, 1, 2, 4), (0, 3)),
    "qwen3.5-2b": ((0, 3, 5), (1, 2)),
    "qwen3.5-122b-a10b-L4": ((0, 1, 2, 5), (2, 3)),
}

#: Round 25 (``--set round25``, ids ``h25-...``): planned and run on the final model (40d865e: the recomputed Gated
#: DeltaNet layer's mixer priced once, Unsloth loading a Qwen3.5 release's text model alone) before any run of these
#: cuts: Qwen3-Next-80B-A3B (qwen3_next, new to the catalog: Gated DeltaNet with fused input projections in 3 of 4
#: layers, 512 fused experts, top-10, a gated shared expert; its first 4 of 48 layers) and Qwen3.5-4B whole, built
#: as its release (Qwen3_5ForConditionalGeneration with a vision tower of transformers' default shapes), so each
#: script's own loader chooses the text model; weighted to checkpointed 4-bit runs, at knobs no run used.
ROUND25: dict[str, tuple[str, str | None]] = {
    "qwen3-next-80b-a3b-L4": ("qwen3_next", "qwen3-next-80b-a3b"),
    "qwen3.5-4b": ("qwen3_5_text", "qwen3.5-4b"),
}
ROUND25_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 2560, 16, "all"), 0.0),
    (("none", False, 2, 1920, 24, "all"), 0.0),
    (("4bit", True, 1, 3840, 8, "attention"), 0.05),
    (("none", True, 2, 3328, 32, "all"), 0.0),
    (("4bit", False, 1, 2304, 16, "all"), 0.0),
)
ROUND25_PICKS: Picks = {
    "qwen3-next-80b-a3b-L4": ((0, 1, 2, 3, 4), (0, 3)),
    "qwen3.5-4b": ((0, 2, 3), (0, 3)),
}

#: Round 26 (``--set round26``, ids ``h26-...``): planned and run on round 25's final model (40d865e) before any run
#: of these cuts: Qwen3.5-397B-A17B (qwen3_5_moe_text at its widest: 512 fused experts of width 1024, top-10, 64 value
#: heads, hidden 4096; its first layer, a Gated DeltaNet one) and Qwen3.5-0.8B whole (24 layers, tied embeddings),
#: at knobs no run used.  Small, for the device time left in its session.
ROUND26: dict[str, tuple[str, str | None]] = {
    "qwen3.5-397b-a17b-L1": ("qwen3_5_moe_text", "qwen3.5-397b-a17b"),
    "qwen3.5-0.8b": ("qwen3_5_text", "qwen3.5-0.8b"),
}
ROUND26_RUNS: tuple[tuple[Knobs, float], ...] = (
    (("4bit", True, 2, 3072, 16, "all"), 0.0),
    (("none", False, 1, 2688, 16, "all"), 0.0),
    (("none", True, 3, 2432, 24, "all"), 0.05),
    (("4bit", False, 2, 1408, 8, "all"), 0.0),
)
ROUND26_PICKS: Picks = {
    "qwen3.5-397b-a17b-L1": ((0, 1, 2), (2,)),
    "qwen3.5-0.8b": ((1, 3), (0,)),
}

#: A trace set (session 11), not a judging round: which 16-bit fused-expert MoE families keep the routed
#: down-projection output (t x k x h) on FastModel.  OLMoE and FlexOlmo do (traces11/14; both route through the
#: experts interface inside the compiled layer, router not renormalized); the Qwen3-MoE and Mixtral traces of the
#: first sessions do not (their MoE forwards are Unsloth's own patches).  Granite-MoE, Hunyuan-MoE, Solar Open and
#: dots.llm1 are the generic-path families that renormalize; Qwen3-MoE, Mixtral and ERNIE are traced again as controls.
TRACE15: dict[str, tuple[str, str | None]] = {
    "granite-3.1-3b-a800m-L8": ("granitemoe", "granite-3.1-3b-a800m"),
    "hunyuan-a13b-L1": ("hunyuan_v1_moe", "hunyuan-a13b"),
    "solar-open-100b-L1": ("solar_open", "solar-open-100b"),
    "dots.llm1-L2": ("dots1", "dots.llm1"),
    "qwen3-30b-a3b-L4": ("qwen3_moe", "qwen3-30b-a3b"),
    "mixtral-8x7b-L2": ("mixtral", "mixtral-8x7b"),
    "ernie-4.5-21b-a3b-L4": ("ernie4_5_moe", "ernie-4.5-21b-a3b"),
}
TRACE15_RUNS: tuple[tuple[Knobs, float], ...] = ((("none", True, 2, 2048, 16, "attention"), 0.0),)
TRACE15_PICKS: Picks = {name: ((), (0,)) for name in TRACE15}

#: A trace set (session 15), not a judging round: the PEFT script's 4-bit load once it casts the unquantized 16-bit
#: weights to fp32 one tensor at a time and returns each old copy to the driver (``upcast_frozen_weights``), on the
#: fused-expert MoE cuts whose load had peaked 0.7-12.6 bytes per parameter of one layer's experts above the model
#: when ``prepare_model_for_kbit_training`` cast them in one sweep, and on two dense cuts with large vocabularies.
#: Small batches, so the load is the worst moment.
LOAD23: dict[str, tuple[str, str | None]] = {
    "qwen3-235b-a22b-L1": ("qwen3_moe", None),
    "olmoe-1b-7b": ("olmoe", "olmoe-1b-7b"),
    "glm-4.7-flash-L6": ("glm4_moe_lite", "glm-4.7-flash"),
    "moonlight-16b-a3b-L8": ("deepseek_v3", "moonlight-16b-a3b"),
    "granite-3.1-3b-a800m-L8": ("granitemoe", "granite-3.1-3b-a800m"),
    "trinity-mini-L4": ("afmoe", "trinity-mini"),
    "ernie-4.5-21b-a3b-L4": ("ernie4_5_moe", "ernie-4.5-21b-a3b"),
    "gpt-oss-120b-L1": ("gpt_oss", "gpt-oss-120b"),
    "gemma-3-270m": ("gemma3", "gemma-3-270m"),
}
LOAD23_RUNS: tuple[tuple[Knobs, float], ...] = ((("4bit", True, 1, 512, 8, "all"), 0.0),)
LOAD23_PICKS: Picks = {name: ((0,), ()) for name in LOAD23}
#: Its second call (``--set load23b``, same knobs): the cuts the first call's disk could not hold, more fused-expert
#: families, and dense cuts, tied and untied, whose load casts only the embeddings and head.
LOAD23B: dict[str, tuple[str, str | None]] = {
    "trinity-mini-L4": ("afmoe", "trinity-mini"),
    "gemma-3-270m": ("gemma3", "gemma-3-270m"),
    "llama-3.1-8b-L2": ("llama", "llama-3.1-8b"),
    "qwen2.5-7b-L4": ("qwen2", "qwen2.5-7b"),
    "qwen2.5-3b-L8": ("qwen2", "qwen2.5-3b"),
    "solar-open-100b-L1": ("solar_open", "solar-open-100b"),
    "mixtral-8x22b-L1": ("mixtral", None),
    "qwen2-57b-a14b-L1": ("qwen2_moe", "qwen2-57b-a14b"),
    "flexolmo-7x7b-1t-L2": ("flex_olmo", "flexolmo-7x7b-1t"),
}
LOAD23B_PICKS: Picks = {name: ((0,), ()) for name in LOAD23B}


#: set -> (configs, knobs, id prefix, Unsloth runs per config, or per config the knob indices of each target).
ROUNDS = {
    "round3": (ROUND3, ROUND3_RUNS, "h3", 1),
    "round4": (ROUND4, ROUND4_RUNS, "h4", 1),
    "round5": (ROUND5, ROUND5_RUNS, "h5", 1),
    "round6": (ROUND6, ROUND6_RUNS, "h6", 2),
    "round7": (ROUND7, ROUND7_RUNS, "h7", 2),
    "round8": (ROUND8, ROUND8_RUNS, "h8", 3),
    "round9": (ROUND9, ROUND9_RUNS, "h9", 2),
    "round10": (ROUND10, ROUND10_RUNS, "h10", 3),
    "round11": (ROUND11, ROUND11_RUNS, "h11", round11_picks()),
    "round12": (ROUND12, ROUND12_RUNS, "h12", ROUND12_PICKS),
    "round13": (ROUND13, ROUND13_RUNS, "h13", ROUND13_PICKS),
    "round14": (ROUND14, ROUND14_RUNS, "h14", ROUND14_PICKS),
    "round15": (ROUND15, ROUND15_RUNS, "h15", ROUND15_PICKS),
    "round16": (ROUND16, ROUND16_RUNS, "h16", ROUND16_PICKS),
    "round17": (ROUND17, ROUND17_RUNS, "h17", ROUND17_PICKS),
    "round18": (ROUND18, ROUND18_RUNS, "h18", ROUND18_PICKS),
    "round19": (ROUND19, ROUND19_RUNS, "h19", ROUND19_PICKS),
    "round20": (ROUND20, ROUND20_RUNS, "h20", ROUND20_PICKS),
    "round21": (ROUND21, ROUND21_RUNS, "h21", ROUND21_PICKS),
    "round22": (ROUND22, ROUND22_RUNS, "h22", ROUND22_PICKS),
    "round23": (ROUND23, ROUND23_RUNS, "h23", ROUND23_PICKS),
    "round24": (ROUND24, ROUND24_RUNS, "h24", ROUND24_PICKS),
    "round25": (ROUND25, ROUND25_RUNS, "h25", ROUND25_PICKS),
    "round26": (ROUND26, ROUND26_RUNS, "h26", ROUND26_PICKS),
    "trace15": (TRACE15, TRACE15_RUNS, "t15", TRACE15_PICKS),
    "load23": (LOAD23, LOAD23_RUNS, "l23", LOAD23_PICKS),
    "load23b": (LOAD23B, LOAD23_RUNS, "l23", LOAD23B_PICKS),
}
#: The config tables of the held-out sets, for looking a config folder up.
_HELDOUT_TABLES = (
    HELDOUT,
    ROUND3,
    ROUND4,
    ROUND5,
    ROUND6,
    ROUND7,
    ROUND8,
    ROUND9,
    ROUND10,
    ROUND11,
    ROUND12,
    ROUND13,
    ROUND14,
    ROUND15,
    ROUND16,
    ROUND17,
    ROUND18,
    ROUND19,
    ROUND20,
    ROUND21,
    ROUND22,
    ROUND23,
    ROUND24,
    ROUND25,
    ROUND26,
    TRACE15,
    LOAD23,
    LOAD23B,
)


def _heldout_entry(
    run_id: str, which: str, framework: str, name: str, knobs: dict[str, object], dropout: float, priority: int
) -> dict[str, object]:
    """One planned run of a held-out config folder ``name`` (of ``HELDOUT`` or a round table)."""
    family, catalog_model = next(table[name] for table in _HELDOUT_TABLES if name in table)
    profile = family_profile(name, dropout=dropout, **knobs)  # type: ignore[arg-type]
    return {
        "id": run_id,
        "set": which,
        "framework": framework,
        "family": family,
        "model": name,
        "catalog_model": catalog_model,
        "config": str(config_path(name).relative_to(ROOT)),
        **knobs,
        "dropout": dropout,
        "attn": profile.attn_implementation,
        "priority": priority,
        "estimate_gib": round(memory.total_gib(profile, arch_of(name), framework), 2),
    }


def round_configs(which: str) -> list[dict[str, object]]:
    """Round 3 to 12: every config of the round that is present, with its PEFT runs and its Unsloth runs (the first
    ``n`` knobs, or, rounds 11 and 12, the knobs picked for the config)."""
    table, knobs_table, prefix, unsloth_runs = ROUNDS[which]
    configs: list[dict[str, object]] = []
    for name in table:
        if not (CONFIGS / name / "config.json").exists():
            continue
        skip = unsloth_skips(name) or arch_of(name).model_type.startswith("gemma3")
        for framework in ("peft",) if skip else ("peft", "unsloth"):
            if isinstance(unsloth_runs, dict):
                picked = unsloth_runs[name][0 if framework == "peft" else 1]
            else:
                picked = tuple(range(len(knobs_table) if framework == "peft" else unsloth_runs))
            for n, ((quant, gc, batch, seq, r, targets), peft_dropout) in enumerate(knobs_table):
                if n not in picked:
                    continue
                knobs = {"quant": quant, "gc": gc, "batch": batch, "seq": seq, "r": r, "targets": targets}
                dropout = peft_dropout if framework == "peft" else 0.0
                priority = 0 if framework == "unsloth" else 1
                if isinstance(unsloth_runs, dict):
                    priority = 0 if name in _FIRST else 1
                configs.append(
                    _heldout_entry(f"{prefix}-{framework}-{name}-{n}", which, framework, name, knobs, dropout, priority)
                )
    return configs


def heldout_configs(round_two: bool = False) -> list[dict[str, object]]:
    """The held-out batch: every ``HELDOUT`` config with its ``HELDOUT_RUNS`` (or ``HELDOUT2_RUNS``), PEFT and
    Unsloth.  Round 2 runs each config's first knobs under Unsloth."""
    configs: list[dict[str, object]] = []
    table = HELDOUT2_RUNS if round_two else HELDOUT_RUNS
    which = "heldout2" if round_two else "heldout"
    for name in HELDOUT:
        if name not in table:
            continue
        skip = unsloth_skips(name) or (round_two and arch_of(name).model_type.startswith("gemma3"))
        for framework in ("peft",) if skip else ("peft", "unsloth"):
            runs = table[name][:1] if round_two and framework == "unsloth" else table[name]
            for n, (quant, gc, batch, seq, r, targets) in enumerate(runs):
                knobs = {"quant": quant, "gc": gc, "batch": batch, "seq": seq, "r": r, "targets": targets}
                dropout = 0.05 if framework == "peft" else 0.0
                priority = (0 if framework == "unsloth" else 1) if round_two else (0 if n < 2 else 1)
                run_id = f"{'h2' if round_two else 'ho'}-{framework}-{name}-{n}"
                configs.append(_heldout_entry(run_id, which, framework, name, knobs, dropout, priority))
    return configs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--set",
        choices=("families", "heldout", "heldout2", *ROUNDS),
        default="families",
        help="the first set, the held-out one, its round 2, or round 3 to 12 (new architectures)",
    )
    parser.add_argument(
        "--trace",
        default="",
        help="comma list of run ids: plan only these, run through calibration/memtrace.py (what is alive at the peak)",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    traced = {x for x in args.trace.split(",") if x}
    plan = []
    heldout = args.set != "families"
    if args.set in ROUNDS:
        configs = round_configs(args.set)
    else:
        configs = heldout_configs(args.set == "heldout2") if heldout else family_configs()
    for cfg in configs:
        if traced and cfg["id"] not in traced:
            continue
        if traced:
            cfg = {**cfg, "id": f"tr-{cfg['id']}", "trace": True}
        knobs = {k: cfg[k] for k in ("quant", "gc", "batch", "seq", "r", "targets", "dropout")}
        profile = family_profile(str(cfg["model" if heldout else "family"]), **knobs)  # type: ignore[arg-type]
        script = f"{cfg['id']}.py"
        text = render(profile, str(cfg["framework"]))  # type: ignore[arg-type]
        (args.out / script).write_text(text, encoding="utf-8")
        if "upcast_frozen_weights(model)" in text:
            # Its fp32 upcast goes tensor by tensor (since session 15): fit.target_gib judges its load peak.
            cfg = {**cfg, "upcast": "per-tensor"}
        plan.append({**cfg, "script": script})
    (args.out / "plan.json").write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    for entry in plan:
        print(
            f"{entry['id']:34} {entry['quant']:5} gc={entry['gc']!s:5} {entry['batch']}x{entry['seq']:<5} "
            f"attn={entry['attn']:6} est={entry['estimate_gib']:7.2f} GiB",
            file=sys.stderr,
        )
    if heldout:
        total = sum(float(str(entry["estimate_gib"])) for entry in plan)
        print(f"sum of estimates: {total:.1f} GiB", file=sys.stderr)
    print(f"{len(plan)} configurations written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
