"""Plan the Axolotl calibration batch: render ftguide's own Axolotl YAML for each configuration, store its estimate.

Run here (CPU), before a device call:

    python calibration/axolotl_plan.py --out calibration/work/axolotl

Each architecture is a catalog model, cut to fewer decoder layers where a full copy would cost too much disk
and load time on the GPU machine (``layers`` in the plan; the vocabulary, embeddings, lm_head and every layer's
shapes are the real model's).  Its ``config.json`` goes to ``<out>/models/<name>/`` and ftguide reads that
folder like a user's local model, so the estimate stored beside each run is the one ftguide gives for exactly
the architecture that is measured.  Qwen2.5 is written as a Llama-class model with q/k/v biases (same shapes and
memory), because transformers 5 replaces a qwen2 checkpoint's word-level tokenizer with its own.

For every configuration ``ftguide suggest --emit axolotl --framework axolotl`` writes ``<out>/<id>.yaml`` (the
file a user would get) and its ``--format json`` document gives the estimate; ``ftguide vram --framework
axolotl`` gives the same configuration's estimate from the explicit command.  The runner
(``calibration/axolotl_runner.py``) changes only what a measurement needs (local model and data, a few steps,
truncation to exactly ``sequence_len``) plus the levers a run tests (``embeddings_skip_upcast``,
``chunked_cross_entropy``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ftguide.catalog import resolve_model  # noqa: E402

#: name -> (catalog model, decoder layers kept; None = all)
MODELS: dict[str, tuple[str, int | None]] = {
    "llama-3.2-1b": ("llama-3.2-1b", None),
    "llama-3.1-8b-L8": ("llama-3.1-8b", 8),
    "qwen2.5-7b-L6": ("qwen2.5-7b", 6),
    "mistral-7b-v0.3-L8": ("mistral-7b-v0.3", 8),
    "gemma-2-2b": ("gemma-2-2b", None),
}

SKIP = {"embeddings_skip_upcast": True}
CHUNK = {"chunked_cross_entropy": True}

#: (model, quant, gradient checkpointing, batch, seq, r, targets, levers)
RUNS: list[tuple[str, str, bool, int, int, int, str, dict[str, bool]]] = [
    ("llama-3.1-8b-L8", "4bit", True, 1, 2048, 16, "all", {}),
    ("llama-3.1-8b-L8", "4bit", True, 4, 2048, 16, "all", {}),
    ("llama-3.1-8b-L8", "4bit", True, 4, 2048, 16, "all", SKIP),
    ("llama-3.1-8b-L8", "4bit", True, 4, 2048, 16, "all", CHUNK),
    ("llama-3.1-8b-L8", "4bit", True, 4, 2048, 16, "all", {**SKIP, **CHUNK}),
    ("llama-3.1-8b-L8", "4bit", False, 2, 1024, 32, "all", {}),
    ("llama-3.1-8b-L8", "none", True, 2, 4096, 16, "all", {}),
    ("llama-3.1-8b-L8", "none", False, 1, 2048, 8, "attention", {}),
    ("llama-3.1-8b-L8", "none", True, 8, 1024, 16, "all", {}),
    ("llama-3.1-8b-L8", "none", True, 8, 1024, 16, "all", CHUNK),
    ("qwen2.5-7b-L6", "4bit", True, 2, 2048, 16, "all", {}),
    ("qwen2.5-7b-L6", "4bit", True, 2, 2048, 16, "all", SKIP),
    ("qwen2.5-7b-L6", "4bit", False, 1, 1024, 64, "all", {}),
    ("qwen2.5-7b-L6", "4bit", True, 8, 512, 8, "all", {}),
    ("qwen2.5-7b-L6", "none", True, 4, 2048, 16, "all", {}),
    ("qwen2.5-7b-L6", "none", True, 4, 2048, 16, "all", CHUNK),
    ("qwen2.5-7b-L6", "none", False, 2, 1024, 32, "attention", {}),
    ("mistral-7b-v0.3-L8", "4bit", True, 4, 1024, 16, "all", {}),
    ("mistral-7b-v0.3-L8", "4bit", True, 4, 1024, 16, "all", CHUNK),
    ("mistral-7b-v0.3-L8", "4bit", False, 2, 2048, 32, "all", {}),
    ("mistral-7b-v0.3-L8", "none", True, 1, 4096, 16, "all", {}),
    ("mistral-7b-v0.3-L8", "none", False, 4, 512, 16, "all", {}),
    ("mistral-7b-v0.3-L8", "none", True, 16, 512, 8, "qv", {}),
    ("llama-3.2-1b", "4bit", True, 8, 2048, 16, "all", {}),
    ("llama-3.2-1b", "4bit", True, 8, 2048, 16, "all", SKIP),
    ("llama-3.2-1b", "4bit", False, 4, 1024, 16, "all", {}),
    ("llama-3.2-1b", "none", True, 16, 1024, 16, "all", {}),
    ("llama-3.2-1b", "none", True, 16, 1024, 16, "all", CHUNK),
    ("llama-3.2-1b", "none", False, 2, 2048, 64, "all", {}),
    ("llama-3.2-1b", "none", True, 4, 4096, 32, "attention", {}),
    ("gemma-2-2b", "4bit", True, 2, 1024, 16, "all", {}),
    ("gemma-2-2b", "4bit", False, 2, 512, 16, "all", {}),
    ("gemma-2-2b", "none", True, 4, 1024, 16, "all", {}),
    ("gemma-2-2b", "none", True, 4, 1024, 16, "all", CHUNK),
    ("gemma-2-2b", "none", False, 1, 1024, 16, "all", {}),
]


#: Held-out families (never in the fit): the truncated real configs of calibration/families/, as the PEFT and
#: Unsloth family runs use them.
FAMILY_MODELS: dict[str, str] = {
    "llama-3.2-3b-L6": "llama-3.2-3b",
    "phi-3-mini-4k-L8": "phi-3-mini-4k",
    "gemma-3-1b": "gemma-3-1b",
    "mixtral-8x7b-L2": "mixtral-8x7b-v0.1",
    "gpt-oss-20b-L2": "gpt-oss-20b",
}
FAMILY_RUNS: list[tuple[str, str, bool, int, int, int, str, dict[str, bool]]] = [
    ("llama-3.2-3b-L6", "4bit", True, 4, 2048, 16, "all", {}),
    ("llama-3.2-3b-L6", "4bit", True, 4, 2048, 16, "all", CHUNK),
    ("llama-3.2-3b-L6", "none", False, 2, 2048, 32, "all", {}),
    ("phi-3-mini-4k-L8", "4bit", True, 4, 2048, 16, "all", {}),
    ("phi-3-mini-4k-L8", "4bit", True, 4, 2048, 16, "all", CHUNK),
    ("phi-3-mini-4k-L8", "none", False, 2, 2048, 32, "all", {}),
    ("gemma-3-1b", "4bit", True, 4, 2048, 16, "all", {}),
    ("gemma-3-1b", "none", False, 2, 2048, 32, "all", {}),
    ("mixtral-8x7b-L2", "4bit", True, 4, 2048, 16, "all", {}),
    ("mixtral-8x7b-L2", "none", True, 8, 2048, 16, "all", {}),
    ("gpt-oss-20b-L2", "4bit", True, 4, 2048, 16, "all", {}),
    ("qwen2.5-7b-L6", "none", True, 4, 2048, 16, "all", {}),
    ("qwen2.5-7b-L6", "none", True, 4, 2048, 16, "all", CHUNK),
]
#: The Axolotl fit grid: (catalog model, budget GiB).  Whole models, written as sparse all-zero checkpoints
#: (memory does not depend on the weights' values), each run capped at its budget.
GRID: list[tuple[str, int]] = [
    ("llama-3.2-3b", 8),
    ("mistral-7b-v0.3", 8),
    ("llama-3.1-8b", 10),
    ("llama-3.1-8b", 16),
    ("llama-3.1-8b", 24),
    ("qwen2.5-7b", 12),
    ("qwen2.5-7b", 24),
    ("gemma-2-9b", 16),
    ("gemma-2-9b", 24),
    ("llama-3.1-70b", 48),
    ("llama-3.1-70b", 80),
]


def family_config(name: str) -> dict[str, object]:
    config: dict[str, object] = json.loads((ROOT / "calibration" / "families" / name / "config.json").read_text())
    if config.get("model_type") == "qwen2":
        config.update(model_type="llama", architectures=["LlamaForCausalLM"], attention_bias=True)
    return config


def model_config(name: str) -> dict[str, object]:
    if name in FAMILY_MODELS:
        return family_config(name)
    catalog, layers = MODELS.get(name, (name, None))
    arch = resolve_model(catalog)
    config: dict[str, object] = {
        "model_type": arch.model_type,
        "architectures": [arch.architecture],
        "hidden_size": arch.hidden_size,
        "num_hidden_layers": layers or arch.num_hidden_layers,
        "num_attention_heads": arch.num_attention_heads,
        "num_key_value_heads": arch.num_key_value_heads,
        "head_dim": arch.head_dim,
        "intermediate_size": arch.intermediate_size,
        "vocab_size": arch.vocab_size,
        "tie_word_embeddings": arch.tie_word_embeddings,
        "max_position_embeddings": arch.max_position_embeddings,
        "pad_token_id": 1,
        "bos_token_id": 2,
        "eos_token_id": 3,
        "torch_dtype": "bfloat16",
    }
    if arch.model_type == "qwen2":
        config.update(model_type="llama", architectures=["LlamaForCausalLM"], attention_bias=True)
    if arch.model_type == "mistral":
        config["sliding_window"] = None
    if arch.model_type == "gemma2":
        config.update(
            hidden_activation="gelu_pytorch_tanh",
            query_pre_attn_scalar=arch.head_dim,
            sliding_window=4096,
            attn_logit_softcapping=50.0,
            final_logit_softcapping=arch.final_logit_softcapping,
        )
    return config


def ftguide(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ftguide", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(f"ftguide {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def grid_plan(out: Path) -> list[dict[str, object]]:
    """suggest's own Axolotl profile for each (model, budget), to be trained capped at the budget."""
    plan: list[dict[str, object]] = []
    for index, (model, budget) in enumerate(GRID):
        run_id = f"axg{index:02d}-{model}-{budget}g"
        folder = out / "models" / model
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps(model_config(model), indent=1) + "\n")
        (folder / "sparse").write_text("whole model as a sparse all-zero checkpoint\n")
        done = subprocess.run(
            [sys.executable, "-m", "ftguide", "suggest", "--examples", "2000", "--model", model, "--vram",
             str(budget), "--emit", "axolotl", "--dataset-path", "data.jsonl", "--output-dir", "out",
             "--format", "json", "-o", str(out / f"{run_id}.yaml"), "--force"],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"{run_id}: does not fit: {done.stderr.strip()}")
            continue
        doc = json.loads(done.stdout)
        prof, mem = doc["profile"], doc["memory"]
        plan.append(
            {
                "id": run_id,
                "model": model,
                "catalog_model": model,
                "layers": resolve_model(model).num_hidden_layers,
                "budget_gib": budget,
                "quant": prof["quantization"],
                "gc": prof["gradient_checkpointing"],
                "batch": prof["batch_size"],
                "seq": prof["max_seq_length"],
                "r": prof["lora_r"],
                "targets": prof["target_modules"],
                "dropout": prof["lora_dropout"],
                "optimizer": prof["optimizer"],
                "levers": {},
                "profile_levers": {k: prof.get(k) for k in ("embeddings_upcast", "chunked_cross_entropy") if k in prof},
                "yaml": f"{run_id}.yaml",
                "estimate_gib": mem["estimated_gib"],
                "estimate_breakdown": mem["breakdown"],
            }
        )
        print(f"{run_id}: {prof['quantization']} gc={prof['gradient_checkpointing']} "
              f"{prof['batch_size']}x{prof['max_seq_length']} est={mem['estimated_gib']} of {budget}")  # fmt: skip
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "calibration" / "work" / "axolotl")
    parser.add_argument(
        "--held-out", action="store_true", help="plan the held-out families and the fit grid, not the fitting runs"
    )
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    runs = RUNS
    names = list(MODELS)
    if args.held_out:
        runs = FAMILY_RUNS
        names = sorted({run[0] for run in FAMILY_RUNS})
    for name in names:
        folder = out / "models" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(json.dumps(model_config(name), indent=1) + "\n")
    plan = grid_plan(out) if args.held_out else []
    for index, (name, quant, gc, batch, seq, r, targets, levers) in enumerate(runs):
        run_id = f"{'axf' if args.held_out else 'axo'}{index:02d}-{name}"
        knobs = [
            "--quant", quant,
            "--batch-size", str(batch),
            "--seq-len", str(seq),
            "--lora-r", str(r),
            "--target-modules", targets,
            "--gradient-checkpointing" if gc else "--no-gradient-checkpointing",
        ]  # fmt: skip
        model_dir = str(out / "models" / name)
        doc = json.loads(
            ftguide(
                "suggest", "--examples", "2000", "--model", model_dir, "--framework", "axolotl",
                "--emit", "axolotl", "--grad-accum", "1", "--dataset-path", "data.jsonl",
                "--output-dir", "out", *knobs, "--format", "json", "-o", str(out / f"{run_id}.yaml"), "--force",
            )
        )  # fmt: skip
        vram = json.loads(
            ftguide(
                "vram", "--model", model_dir, "--framework", "axolotl", "--lora-dropout",
                str(doc["profile"]["lora_dropout"]), "--optimizer", doc["profile"]["optimizer"],
                *knobs, "--format", "json",
            )
        )  # fmt: skip
        memory = doc["memory"]
        plan.append(
            {
                "id": run_id,
                "model": name,
                "catalog_model": FAMILY_MODELS[name] if name in FAMILY_MODELS else MODELS[name][0],
                "layers": model_config(name)["num_hidden_layers"],
                "quant": quant,
                "gc": gc,
                "batch": batch,
                "seq": seq,
                "r": r,
                "targets": targets,
                "dropout": doc["profile"]["lora_dropout"],
                "optimizer": doc["profile"]["optimizer"],
                "levers": levers,
                "yaml": f"{run_id}.yaml",
                "estimate_gib": memory["estimated_gib"],
                "estimate_breakdown": memory["breakdown"],
                "estimate_method": memory.get("method"),
                "vram_estimate_gib": vram.get("memory", vram).get("estimated_gib"),
            }
        )
        print(f"{run_id}: {quant} gc={gc} {batch}x{seq} r={r} {targets} {levers} est={memory['estimated_gib']}")
    (out / "plan.json").write_text(json.dumps(plan, indent=1) + "\n")
    print(f"{len(plan)} runs -> {out / 'plan.json'}")


if __name__ == "__main__":
    main()
