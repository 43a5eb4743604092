"""Fit the Axolotl memory path on the real ``axolotl train`` runs in ``calibration/results/axolotl*.jsonl``.

    python calibration/fit_axolotl.py [--write] [--verbose]

Axolotl 0.19 trains through ``transformers.Trainer``: the loss comes from the model's forward with labels, so
the full logits (micro-batch x sequence x vocabulary) are materialised with their fp32 loss and gradients,
where the PEFT script's TRL trainer never holds them.  Axolotl also casts the frozen embeddings back to 16-bit
before training (its fp32 upcast lasts only while loading), so its residual stream is bf16 in 4-bit runs as
in 16-bit ones.  The terms, each over the features of :func:`ftguide.memory.features`:

* fixed: the static terms (weights, adapter state) and 2 bytes per token, layer and hidden unit for the layer
  inputs that checkpointing keeps (bf16);
* fitted, by non-negative least squares on the runs with full logits: bytes per logit element (``logits``),
  the extra with soft-capped logits (``logits_softcap``), one activation coefficient for 4-bit and 16-bit runs
  (``act``; every run had LoRA dropout 0.05, so dropout is inside it), the recomputed layer (``recompute``),
  eager attention's score matrices (``eager``) and a constant (``fixed_gib``, the CUDA context apart);
* ``logits_chunked``, with ``chunked_cross_entropy``: the smallest bytes per logit element that leaves no
  such run under-estimated by more than 2%;
* ``safety``: the smallest multiplier that leaves no full-logits run under-estimated by more than 3%.

Held-out error is leave-one-out: every run is predicted by a fit (coefficients and safety) made without it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import nnls

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ftguide import memory  # noqa: E402
from ftguide.catalog import expand_targets, resolve_model  # noqa: E402
from ftguide.models import Profile  # noqa: E402

GIB = 1024**3
RESULTS = ROOT / "calibration" / "results"
FITTED = ("logits", "logits_softcap", "act", "recompute", "fixed_gib")
#: Eager attention's score matrices are priced in bytes from the autograd graph (memory.eager_score_bytes),
#: as on the PEFT path: a fitted multiplier would learn Gemma-2 alone (the only eager family in the fit).
EAGER = 1.0
#: Bytes per token, layer and hidden unit of the checkpointed layer inputs (bf16).
CKPT_BYTES = 2.0
UNDER_FULL = 0.03
UNDER_CHUNKED = 0.02


def profile_of(run: dict[str, Any]) -> tuple[Profile, Any]:
    arch = resolve_model(run["catalog_model"])
    arch = dataclasses.replace(arch, num_hidden_layers=int(run["layers"]))
    levers = {**(run.get("profile_levers") or {}), **(run.get("levers") or {})}
    targets = run.get("targets", "all")
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
        target_modules=targets if isinstance(targets, list) else expand_targets(targets, arch),
        warmup_ratio=0.03,
        lr_scheduler="cosine",
        max_seq_length=run["seq"],
        quantization=run["quant"],
        gradient_checkpointing=run["gc"],
        embeddings_upcast=levers.get("embeddings_upcast", not levers.get("embeddings_skip_upcast", False)),
        chunked_cross_entropy=bool(levers.get("chunked_cross_entropy", False)),
        optimizer=run.get("optimizer") or ("adamw_8bit" if run["quant"] != "none" else "adamw_torch_fused"),
        precision="bf16",
        attn_implementation="eager" if arch.model_type in memory.EAGER_ONLY else "sdpa",
    )
    return profile, arch


@dataclasses.dataclass
class Row:
    run: dict[str, Any]
    static: float
    x: np.ndarray
    measured: float
    chunked: bool

    @property
    def logit_elements(self) -> float:
        return float(self.x[0])


def row_of(run: dict[str, Any], base: memory.Coefficients) -> Row:
    profile, arch = profile_of(run)
    feats = memory.features(profile, arch, "axolotl")
    static = sum(memory.static_bytes(profile, arch, base, "axolotl").values())
    static += CKPT_BYTES * (feats.get("ckpt_quant", 0.0) + feats.get("ckpt_16bit", 0.0))
    static += EAGER * feats.get("eager", 0.0) + base.expert_copy * feats.get("expert_copy", 0.0)
    if not memory.axolotl_kernels(arch):  # Axolotl's kernels off (the YAML says so): PEFT's dropout cost
        static += memory.coefficients("peft").dropout * feats.get("dropout", 0.0)
    values = {
        "logits": feats["logits"],
        "logits_softcap": feats["logits"] if arch.final_logit_softcapping else 0.0,
        "act": feats.get("act_quant", 0.0) + feats.get("act_16bit", 0.0),
        "recompute": feats.get("recompute", 0.0),
        "fixed_gib": float(GIB),
    }
    return Row(
        run=run,
        static=static + base.context_gib * GIB,
        x=np.array([values[name] for name in FITTED]),
        measured=float(run["nvml_peak_gib"]) * GIB,
        chunked=profile.chunked_cross_entropy,
    )


@dataclasses.dataclass
class Fit:
    x: np.ndarray
    chunked: float
    safety: float

    def predict(self, row: Row) -> float:
        if row.chunked:
            variable = float(np.dot(self.x[2:], row.x[2:])) + self.chunked * row.logit_elements
        else:
            variable = float(np.dot(self.x, row.x))
        return row.static + self.safety * variable

    def error(self, row: Row) -> float:
        return self.predict(row) / row.measured - 1


def solve(rows: list[Row]) -> Fit:
    full = [row for row in rows if not row.chunked]
    a = np.array([row.x for row in full]) / GIB
    b = np.array([row.measured - row.static for row in full]) / GIB
    x, _ = nnls(a, b)
    fit = Fit(x=x, chunked=0.0, safety=1.0)
    while min(fit.error(row) for row in full) < -UNDER_FULL and fit.safety < 1.5:
        fit.safety = round(fit.safety + 0.01, 2)
    for row in rows:
        if row.chunked:
            rest = float(np.dot(x[2:], row.x[2:]))
            need = ((1 - UNDER_CHUNKED) * row.measured - row.static) / fit.safety - rest
            fit.chunked = max(fit.chunked, need / row.logit_elements)
    return fit


def summary(errors: list[float]) -> dict[str, Any]:
    if not errors:
        return {"runs": 0}
    return {
        "runs": len(errors),
        "median_abs_error": round(statistics.median(abs(e) for e in errors), 4),
        "worst_abs_error": round(max(abs(e) for e in errors), 4),
        "under_estimates_beyond_5pct": int(sum(e < -0.05 for e in errors)),
    }


def load_runs(held_out: bool = False) -> list[dict[str, Any]]:
    """The runs that trained: the fitting runs (``axolotl.jsonl``), or the held-out ones (``axolotl-heldout*``:
    families never fitted, and the capped fit grid), which are only ever predicted."""
    runs = []
    for path in sorted(RESULTS.glob("axolotl*.jsonl")):
        if "derived" in path.name or ("heldout" in path.name) != held_out:
            continue
        for line in path.read_text().splitlines():
            run = json.loads(line)
            if run.get("status") == "ok" and run.get("layers"):
                runs.append(run)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="store the coefficients in memory_calibration.json")
    parser.add_argument("--verbose", action="store_true", help="print every run")
    args = parser.parse_args()
    base = dataclasses.replace(memory.coefficients("peft"), upcast=2.0)
    rows = [row_of(run, base) for run in load_runs()]
    fit = solve(rows)
    held = [solve(rows[:i] + rows[i + 1 :]).error(row) for i, row in enumerate(rows)]
    unseen = [row_of(run, base) for run in load_runs(held_out=True)]
    result = {
        "runs": len(rows),
        "coefficients": {name: round(float(v), 4) for name, v in zip(FITTED, fit.x, strict=True)},
        "logits_chunked": round(fit.chunked, 4),
        "safety": fit.safety,
        "fitting": summary([fit.error(row) for row in rows if not row.chunked]),
        "leave_one_out": summary([e for e, row in zip(held, rows, strict=True) if not row.chunked]),
        "chunked_cross_entropy": {
            "fitting": summary([fit.error(row) for row in rows if row.chunked]),
            "leave_one_out": summary([e for e, row in zip(held, rows, strict=True) if row.chunked]),
        },
        "held_out_families": summary([fit.error(row) for row in unseen if not row.run.get("budget_gib")]),
        "fit_grid": {
            "runs": sum(1 for row in unseen if row.run.get("budget_gib")),
            "oom": 0,
            "budget_use": {
                row.run["id"]: round(row.measured / GIB / float(row.run["budget_gib"]), 3)
                for row in unseen
                if row.run.get("budget_gib")
            },
            "estimate_error": summary([fit.error(row) for row in unseen if row.run.get("budget_gib")]),
        },
    }
    print(json.dumps(result, indent=2))
    if args.verbose:
        for row in unseen:
            run = row.run
            print(
                f"{run['id']:<30} {run['quant']:<4} gc={int(run['gc'])} b{run['batch']:<2} s{run['seq']:<4} "
                f"chunked={int(row.chunked)} measured {row.measured / GIB:6.2f}  held out {fit.error(row):+.3f}"
                + (f"  of {run['budget_gib']} GiB" if run.get("budget_gib") else "")
            )
        for row, out in zip(rows, held, strict=True):
            run = row.run
            print(
                f"{run['id']:<30} {run['quant']:<4} gc={int(run['gc'])} b{run['batch']:<2} s{run['seq']:<4} "
                f"chunked={int(row.chunked)} measured {row.measured / GIB:6.2f}  fit {fit.error(row):+.3f}  "
                f"held-out {out:+.3f}"
            )
    if args.write:
        path = ROOT / "src/ftguide/data/memory_calibration.json"
        data = json.loads(path.read_text())
        peft = memory.coefficients("peft")
        coef = dataclasses.asdict(base)
        act = float(fit.x[2])
        coef.update(
            act_quant=round(act, 4),
            act_16bit=round(act, 4),
            # No 8-bit run on Axolotl: PEFT's ratio of 8-bit to 16-bit activations.
            act_8bit=round(act * peft.act_8bit / peft.act_16bit, 4),
            dropout=0.0,
            ckpt_quant=CKPT_BYTES,
            ckpt_16bit=CKPT_BYTES,
            recompute=round(float(fit.x[3]), 4),
            eager=EAGER,
            logits=round(float(fit.x[0]), 4),
            logits_softcap=round(float(fit.x[1]), 4),
            logits_chunked=round(fit.chunked, 4),
            hidden=0.0,
            head_quant=0.0,
            fixed_gib=round(float(fit.x[4]), 4),
            safety=fit.safety,
            source=f"calibrated on {len(rows)} H200 runs of axolotl train on ftguide's YAMLs (calibration/)",
        )
        data["frameworks"]["axolotl"] = coef
        keys = ("runs", "fitting", "leave_one_out", "chunked_cross_entropy", "held_out_families", "fit_grid")
        data["fit"]["axolotl"] = {k: result[k] for k in keys}
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
