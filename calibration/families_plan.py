"""Plan the per-family calibration batch: one truncated real architecture per family, PEFT and Unsloth scripts.

Run here (CPU), before a device call:

    python calibration/families_plan.py --out calibration/work/families

Each family is one real architecture with fewer decoder layers (``calibration/families/<name>/config.json``:
the real model's shapes, vocabulary and family fields, ``num_hidden_layers`` cut down so that MoE models fit
the GPU machine's disk and time).  ftguide reads that local config.json like a user's, so the estimate is
the one a user would get for it.  Every configuration is rendered with ftguide's own templates into
``<out>/<id>.py`` and listed in ``<out>/plan.json``; ``calibration/families_runner.py`` runs them.
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
from ftguide.catalog import Architecture, resolve_model  # noqa: E402
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


def config_path(family: str) -> Path:
    return CONFIGS / FAMILIES[family][0] / "config.json"


def arch_of(family: str) -> Architecture:
    """The architecture ftguide reads from the family's local config.json (as for a user's local model)."""
    return resolve_model(str(config_path(family)))


def family_profile(
    family: str, *, quant: str, gc: bool, batch: int, seq: int, r: int, targets: str, dropout: float
) -> Profile:
    profile = profile_for(
        str(config_path(family)), quant=quant, gc=gc, batch=batch, seq=seq, r=r, targets=targets, dropout=dropout
    )
    arch = arch_of(family)
    if arch.model_type in memory.EAGER_ONLY:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    plan = []
    for cfg in family_configs():
        knobs = {k: cfg[k] for k in ("quant", "gc", "batch", "seq", "r", "targets", "dropout")}
        profile = family_profile(str(cfg["family"]), **knobs)  # type: ignore[arg-type]
        script = f"{cfg['id']}.py"
        (args.out / script).write_text(render(profile, str(cfg["framework"])), encoding="utf-8")  # type: ignore[arg-type]
        plan.append({**cfg, "script": script})
    (args.out / "plan.json").write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    for entry in plan:
        print(
            f"{entry['id']:34} {entry['quant']:5} gc={entry['gc']!s:5} {entry['batch']}x{entry['seq']:<5} "
            f"attn={entry['attn']:6} est={entry['estimate_gib']:7.2f} GiB",
            file=sys.stderr,
        )
    print(f"{len(plan)} configurations written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
