"""Plan a calibration batch: pick configurations, render ftguide's own scripts for them.

Run here (CPU), before a device call:

    python calibration/plan.py --framework peft --out calibration/work/peft
    python calibration/plan.py --framework unsloth --out calibration/work/unsloth
    python calibration/plan.py --fit-grid --out calibration/work/fitgrid

Each configuration becomes ``<out>/<id>.py`` (the rendered training script, exactly what a user would get for
that profile) and a line of ``<out>/plan.json``.  ``calibration/runner.py`` runs them on the GPU.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ftguide import memory  # noqa: E402
from ftguide.catalog import resolve_model  # noqa: E402
from ftguide.models import Profile  # noqa: E402
from ftguide.render import render  # noqa: E402
from ftguide.rules.lora import expand_targets  # noqa: E402

#: Architectures measured: 1B to 14B, vocabularies of 32k, 128k and 152k, tied and untied heads.
MODELS = ("llama-3.2-1b", "qwen2.5-3b", "mistral-7b-v0.3", "llama-3.1-8b", "qwen2.5-14b")
UNSLOTH_MODELS = ("llama-3.2-1b", "mistral-7b-v0.3", "llama-3.1-8b", "qwen2.5-14b")
FIT_MODELS = ("llama-3.2-1b", "mistral-7b-v0.3", "llama-3.1-8b", "qwen2.5-14b")
FIT_BUDGETS = (8, 12, 16, 24, 40, 80)
#: What the H200 can hold for one run, with room to spare; configurations estimated above it are resampled.
MAX_GIB = 100.0
DATASET_EXAMPLES = 64


def profile_for(
    model: str, *, quant: str, gc: bool, batch: int, seq: int, r: int, targets: str, dropout: float
) -> Profile:
    arch = resolve_model(model)
    return Profile(
        base_model=arch.hf_id,
        learning_rate=2e-4,
        num_epochs=1,
        batch_size=batch,
        gradient_accumulation_steps=1,
        effective_batch_size=batch,
        lora_r=r,
        lora_alpha=2 * r,
        lora_dropout=dropout,
        target_modules=expand_targets(targets, arch),
        warmup_ratio=0.03,
        lr_scheduler="cosine",
        max_seq_length=seq,
        quantization=quant,  # type: ignore[arg-type]
        gradient_checkpointing=gc,
        optimizer="adamw_torch_fused" if quant == "none" else "adamw_8bit",
        precision="bf16",
        early_stopping_patience=3,
        val_set_size=0.1,
        eval_steps=2,
        dataset_format="text",
        dataset_path="data.jsonl",
        output_dir="out",
    )


def sample_configs(framework: str, seed: int = 0) -> list[dict[str, object]]:
    rng = random.Random(seed)
    quants = ("4bit", "none") if framework == "unsloth" else ("4bit", "8bit", "none")
    models = UNSLOTH_MODELS if framework == "unsloth" else MODELS
    per_cell = {"4bit": 2, "none": 2, "8bit": 1} if framework == "peft" else {"4bit": 1, "none": 1}
    configs: list[dict[str, object]] = []
    for model in models:
        arch = resolve_model(model)
        for quant in quants:
            for gc in (True, False):
                for _ in range(per_cell[quant]):
                    for _attempt in range(50):
                        knobs = {
                            "quant": quant,
                            "gc": gc,
                            "batch": rng.choice((1, 2, 4, 8, 16)),
                            "seq": rng.choice((512, 1024, 2048, 4096)),
                            "r": rng.choice((8, 16, 32, 64)),
                            "targets": rng.choice(("attention", "all", "all", "qv")),
                            "dropout": rng.choice((0.0, 0.05)),
                        }
                        if framework == "unsloth":
                            knobs["dropout"] = 0.0
                        profile = profile_for(model, **knobs)  # type: ignore[arg-type]
                        est = memory.total_gib(profile, arch, framework)
                        if est <= MAX_GIB and knobs["batch"] * knobs["seq"] <= 32768:
                            break
                    configs.append({"model": model, **knobs, "estimate_gib": round(est, 2)})
    # One configuration per (model, quant, gc) cell is held out from fitting: every fourth, seeded.
    order = list(range(len(configs)))
    rng.shuffle(order)
    for rank, index in enumerate(order):
        configs[index]["holdout"] = rank % 4 == 0
    return configs


def fit_grid_configs(framework: str) -> list[dict[str, object]]:
    """``ftguide suggest`` for each (model, budget): the profile it gives is what gets run under the cap."""
    configs: list[dict[str, object]] = []
    for model in FIT_MODELS:
        for budget in FIT_BUDGETS:
            cmd = [
                sys.executable,
                "-m",
                "ftguide",
                "suggest",
                "--examples",
                "2000",
                "--model",
                model,
                "--vram",
                str(budget),
                "--framework",
                framework,
                "--format",
                "json",
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=_env())
            if done.returncode != 0:
                configs.append({"model": model, "budget_gib": budget, "fits": False, "message": done.stderr.strip()})
                continue
            doc = json.loads(done.stdout)
            configs.append(
                {
                    "model": model,
                    "budget_gib": budget,
                    "fits": True,
                    "profile": doc["profile"],
                    "estimate_gib": doc["memory"]["estimated_gib"],
                }
            )
    return configs


def lever_plan(out: Path, target: str) -> list[dict[str, object]]:
    """The lever checks: suggest's own 8B profile at 10 GiB run capped at 10 GiB (it keeps the frozen embeddings
    in 16-bit), and one 1B QLoRA profile with the embeddings upcast to fp32 and kept in 16-bit, same seed, for
    the loss curves."""
    plan: list[dict[str, object]] = []
    cases = []
    estimates: dict[str, float] = {}
    # suggest's own profiles, each run capped at its budget: 8B at 10 GiB, and the 70B at 48 GiB (the
    # runner writes the 70B as a sparse, all-zero checkpoint: a random one does not fit the machine's disk).
    for run_id, model, budget in (("lev-8b-10g", "llama-3.1-8b", 10.0), ("lev-70b-48g", "llama-3.1-70b", 48.0)):
        cmd = [sys.executable, "-m", "ftguide", "suggest", "--examples", "3000", "--model", model]
        cmd += ["--vram", str(int(budget)), "--format", "json"]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=_env(), check=True)
        doc = json.loads(done.stdout)
        cases.append((run_id, model, Profile.model_validate(doc["profile"]), budget))
        estimates[run_id] = doc["memory"]["estimated_gib"]
    small = profile_for("llama-3.2-1b", quant="4bit", gc=True, batch=4, seq=1024, r=16, targets="all", dropout=0.05)
    for upcast in (True, False):
        cases.append(
            (
                f"lev-1b-upcast-{str(upcast).lower()}",
                "llama-3.2-1b",
                small.model_copy(update={"embeddings_upcast": upcast}),
                None,
            )
        )
    for run_id, model, profile, budget in cases:
        profile = profile.model_copy(
            update={"dataset_format": "text", "dataset_path": "data.jsonl", "output_dir": "out", "eval_steps": 1000}
        )
        (out / f"{run_id}.py").write_text(render(profile, target), encoding="utf-8")
        plan.append(
            {
                "id": run_id,
                "framework": target,
                "model": model,
                "script": f"{run_id}.py",
                "budget_gib": budget,
                "seq": profile.max_seq_length,
                "batch": profile.batch_size,
                "quant": profile.quantization,
                "gc": profile.gradient_checkpointing,
                "embeddings_upcast": profile.embeddings_upcast,
                "estimate_gib": estimates.get(run_id),
            }
        )
    return plan


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--framework", choices=("peft", "unsloth"), default="peft")
    parser.add_argument("--fit-grid", action="store_true", help="plan the budget-capped runs of suggest's profiles")
    parser.add_argument(
        "--levers", action="store_true", help="plan the memory-lever checks (capped 8B at 10 GiB, loss curves)"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    target = "unsloth" if args.framework == "unsloth" else "peft"
    plan = []
    if args.levers:
        plan = lever_plan(args.out, target)
    elif args.fit_grid:
        for i, cfg in enumerate(fit_grid_configs(args.framework)):
            run_id = f"fit{i:02d}-{cfg['model']}-{cfg['budget_gib']}g"
            entry = {"id": run_id, "framework": args.framework, **{k: v for k, v in cfg.items() if k != "profile"}}
            if cfg["fits"]:
                profile = Profile.model_validate(cfg["profile"])
                profile = profile.model_copy(
                    update={
                        "dataset_format": "text",
                        "dataset_path": "data.jsonl",
                        "output_dir": "out",
                        "eval_steps": 2,
                    }
                )
                (args.out / f"{run_id}.py").write_text(render(profile, target), encoding="utf-8")
                entry.update(
                    script=f"{run_id}.py",
                    seq=profile.max_seq_length,
                    batch=profile.batch_size,
                    accum=profile.gradient_accumulation_steps,
                    quant=profile.quantization,
                    gc=profile.gradient_checkpointing,
                )
            plan.append(entry)
    else:
        for i, cfg in enumerate(sample_configs(args.framework)):
            run_id = f"{args.framework}{i:02d}-{cfg['model']}"
            knobs = {k: cfg[k] for k in ("quant", "gc", "batch", "seq", "r", "targets", "dropout")}
            profile = profile_for(str(cfg["model"]), **knobs)  # type: ignore[arg-type]
            (args.out / f"{run_id}.py").write_text(render(profile, target), encoding="utf-8")
            plan.append({"id": run_id, "framework": args.framework, "script": f"{run_id}.py", **cfg})
    (args.out / "plan.json").write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    runnable = [p for p in plan if p.get("script")]
    print(f"{len(plan)} configurations ({len(runnable)} to run) written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
