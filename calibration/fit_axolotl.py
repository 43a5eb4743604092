"""Fit the Axolotl memory path on the real ``axolotl train`` runs in ``calibration/results/axolotl.jsonl``.

    python calibration/fit_axolotl.py [--write]

Axolotl 0.19 trains through ``transformers.Trainer``: the loss comes from the model's forward with labels, so
the full logits (micro-batch x sequence x vocabulary) are materialised with their fp32 loss and gradients,
where the PEFT script's TRL trainer never holds them. Axolotl also casts the embeddings back to 16-bit before
training (its fp32 upcast lasts only while loading), and switches on its own LoRA kernels, which keep less
of each layer than PEFT's path. So the Axolotl coefficients are the PEFT ones with three terms refitted:

* ``logits``: bytes per logit element (b * s * V), for runs without ``chunked_cross_entropy``;
* an activation scale on every activation coefficient (Axolotl's kernels);
* ``upcast`` = 2 (16-bit embeddings while training) and the load-time upcast transient kept.

Runs with levers that change the loss (``chunked_cross_entropy``) are reported, not fitted. The fit is
non-negative least squares on the per-run residual after the static terms; the safety factor is then the
smallest that leaves no fitted run under-estimated by more than 5%. Held-out error is leave-one-out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ftguide import memory  # noqa: E402
from ftguide.catalog import expand_targets, resolve_model  # noqa: E402
from ftguide.models import Profile  # noqa: E402

GIB = 1024**3


def profile_of(run: dict) -> tuple[Profile, object]:
    arch = resolve_model(run["catalog_model"])
    arch = dataclasses.replace(arch, num_hidden_layers=int(run["layers"]))
    profile = Profile(
        base_model=arch.hf_id,
        learning_rate=2e-4,
        num_epochs=1,
        batch_size=run["batch"],
        gradient_accumulation_steps=1,
        effective_batch_size=run["batch"],
        lora_r=run["r"],
        lora_alpha=2 * run["r"],
        lora_dropout=run.get("dropout", 0.05),
        target_modules=expand_targets(run.get("targets", "all"), arch),
        warmup_ratio=0.03,
        lr_scheduler="cosine",
        max_seq_length=run["seq"],
        quantization=run["quant"],
        gradient_checkpointing=run["gc"],
        optimizer=run.get("optimizer") or ("adamw_8bit" if run["quant"] != "none" else "adamw_torch_fused"),
        precision="bf16",
        attn_implementation="eager" if arch.model_type == "gemma2" else "sdpa",
    )
    return profile, arch


def parts(profile: Profile, arch: object, coef: memory.Coefficients) -> tuple[float, float, float, float, float]:
    """In bytes under ``coef``, before safety: (static + fixed + context + per-token + eager scores,
    activations with checkpointing, activations without it, logit elements, soft-capped logit elements)."""
    feats = memory.features(profile, arch, "axolotl")  # type: ignore[arg-type]
    feats.pop("head_quant", 0.0)
    logits = feats.pop("logits")
    fixed = coef.eager * feats.pop("eager", 0.0) + coef.hidden * feats.pop("hidden", 0.0)
    acts = sum(getattr(coef, name) * value for name, value in feats.items())
    static = sum(memory.static_bytes(profile, arch, coef, "axolotl").values())  # type: ignore[arg-type]
    on = acts if profile.gradient_checkpointing and profile.quantization != "8bit" else 0.0
    softcapped = logits if getattr(arch, "final_logit_softcapping", None) else 0.0
    return static + fixed + coef.fixed_gib * GIB + coef.context_gib * GIB, on, acts - on, logits, softcapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="store the coefficients in memory_calibration.json")
    parser.add_argument("--debug", action="store_true", help="print the unscaled fit per run")
    args = parser.parse_args()
    runs = [json.loads(line) for line in (ROOT / "calibration/results/axolotl.jsonl").open()]
    runs = [r for r in runs if r["status"] == "ok"]
    base = dataclasses.replace(memory.coefficients("peft"), upcast=2.0)
    rows = []
    for run in runs:
        profile, arch = profile_of(run)
        rows.append((run, profile, arch, *parts(profile, arch, base)))
    fitted = [row for row in rows if not row[0]["levers"].get("chunked_cross_entropy")]

    def solve(sample: list) -> np.ndarray:
        a = np.array([[*row[4:8], GIB] for row in sample])
        b = np.array([row[0]["nvml_peak_gib"] * GIB - row[3] for row in sample])
        x, _ = nnls(a / GIB, b / GIB)
        return x

    def predict(row: tuple, x: np.ndarray, safety: float) -> float:
        return (row[3] + safety * (float(np.dot(x[:4], row[4:8])) + x[4] * GIB)) / GIB

    def errors(sample: list, x: np.ndarray, safety: float) -> list[float]:
        return [predict(row, x, safety) / row[0]["nvml_peak_gib"] - 1 for row in sample]

    def safety_for(sample: list, x: np.ndarray) -> float:
        k = 1.0
        while min(errors(sample, x, k)) < -0.05 and k < 1.5:
            k = round(k + 0.01, 2)
        return k

    x = solve(fitted)
    if args.debug:
        for row, e in zip(fitted, errors(fitted, x, 1.0), strict=True):
            run = row[0]
            print(f"{run['id']:<30} gc={run['gc']!s:<5} {run['quant']:<5} b{run['batch']} s{run['seq']} {e:+.3f}")
    safety = safety_for(fitted, x)
    fit_err = errors(fitted, x, safety)
    held = []
    for i, row in enumerate(fitted):
        rest = fitted[:i] + fitted[i + 1 :]
        y = solve(rest)
        held.append(errors([row], y, safety_for(rest, y))[0])
    lever = [row for row in rows if row[0]["levers"].get("chunked_cross_entropy")]
    names = (
        "scale_checkpointed",
        "scale_uncheckpointed",
        "logits_bytes_per_element",
        "softcap_bytes_per_element",
        "fixed_gib",
    )
    summary = {
        "runs": len(fitted),
        **{name: round(float(v), 4) for name, v in zip(names, x, strict=True)},
        "safety": float(safety),
        "fitting": {
            "median_abs_error": round(statistics.median(abs(e) for e in fit_err), 4),
            "worst_abs_error": round(max(abs(e) for e in fit_err), 4),
            "under_estimates_beyond_5pct": int(sum(e < -0.05 for e in fit_err)),
        },
        "leave_one_out": {
            "median_abs_error": round(statistics.median(abs(e) for e in held), 4),
            "worst_abs_error": round(max(abs(e) for e in held), 4),
            "under_estimates_beyond_5pct": int(sum(e < -0.05 for e in held)),
        },
        "chunked_cross_entropy_runs": [
            {
                "id": row[0]["id"],
                "measured_gib": row[0]["nvml_peak_gib"],
                "full_logits_gib": round(predict(row, x, safety), 2),
            }
            for row in lever
        ],
    }
    print(json.dumps(summary, indent=2))
    for row, err, out in zip(fitted, fit_err, held, strict=True):
        print(f"{row[0]['id']:<32} measured {row[0]['nvml_peak_gib']:6.2f}  fit {err:+.3f}  held-out {out:+.3f}")
    if args.write:
        path = ROOT / "src/ftguide/data/memory_calibration.json"
        data = json.loads(path.read_text())
        coef = dataclasses.asdict(base)
        for name in ("ckpt_quant", "ckpt_16bit", "recompute"):
            coef[name] = round(coef[name] * float(x[0]), 4)
        for name in ("act_quant", "act_16bit", "act_8bit", "dropout"):
            coef[name] = round(coef[name] * float(x[1]), 4)
        coef.update(
            logits=round(float(x[2]), 4),
            logits_softcap=round(float(x[3]), 4),
            fixed_gib=round(float(base.fixed_gib + x[4]), 4),
            safety=round(safety, 3),
            source=f"calibrated on {len(fitted)} H200 runs of axolotl train on ftguide's YAMLs (calibration/)",
        )
        data["frameworks"]["axolotl"] = coef
        data["fit"]["axolotl"] = {k: summary[k] for k in ("runs", "fitting", "leave_one_out")}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
