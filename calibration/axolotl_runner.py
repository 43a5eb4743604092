"""Run the planned Axolotl batch on one GPU, several ``axolotl train`` processes at once, and record each peak.

Runs on the device machine, after ``source calibration/axolotl_env.sh``:

    python3 calibration/axolotl_runner.py --plan calibration/work/axolotl/plan.json --out $OUT/axolotl.jsonl

It builds a random-weight model from each ``<plan dir>/models/<name>/config.json`` (bf16, on the GPU, saved to
local disk with a word-level tokenizer of the model's vocabulary) and alpaca datasets whose rows are longer
than every planned ``sequence_len``.  Each run is ftguide's rendered YAML with only these changes:
``base_model`` (the local model), ``datasets[0].path`` (the local data), ``output_dir`` and
``dataset_prepared_path`` (per run), ``max_steps``, ``excess_length_strategy: truncate`` (every row is cut to
exactly ``sequence_len``, so each batch is ``micro_batch_size x sequence_len`` real tokens),
``dataset_num_proc: 1`` (tokenising 128 rows needs no worker pool), and the run's levers.

Each run is its own process: ``python3 axolotl_runner.py --child run.yaml metrics.json`` calls Axolotl's own
``axolotl.cli.train.do_cli`` (what ``axolotl train`` launches through ``accelerate launch -m
axolotl.cli.train`` on one GPU) with a ``TrainerCallback`` added to every Trainer.  The callback resets the
peak counters when training begins (after the model is loaded; the load peak is kept apart), times the steps
from the third on, and at the end reads ``torch.cuda.max_memory_reserved`` / ``max_memory_allocated`` and the
process's own NVML figure (what nvidia-smi lists for it): NVML minus PyTorch's reserved memory is the CUDA
context.  Processes share the GPU; a run starts when its estimate, with head-room, fits beside the ones running.
Per-process peaks are independent of each other (the caching allocator is per process); throughput is not,
so ``tokens_per_s`` is recorded with the number of processes that were running beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

GIB = 1024**3
MODELS_DIR = Path(os.environ.get("FTG_AXO_MODELS", "/tmp/ftg-axo-models"))
DATA_DIR = Path(os.environ.get("FTG_AXO_DATA", "/tmp/ftg-axo-data"))
RUNS_DIR = Path(os.environ.get("FTG_AXO_RUNS", "/tmp/ftg-axo-runs"))
ROWS = 128
WORDS = 30000


# ---------------------------------------------------------------------------------------------- child process


def child(config_path: str, metrics_path: str) -> int:
    import torch
    from transformers import Trainer, TrainerCallback

    metrics: dict[str, object] = {"pid": os.getpid()}
    if not torch.cuda.is_available():  # plumbing test on a CPU box: no memory figures
        for fn in ("synchronize", "reset_peak_memory_stats"):
            setattr(torch.cuda, fn, lambda *a, **k: None)
        for fn in ("max_memory_reserved", "max_memory_allocated", "memory_allocated", "memory_reserved"):
            setattr(torch.cuda, fn, lambda *a, **k: 0)

    def save() -> None:
        Path(metrics_path).write_text(json.dumps(metrics))

    def nvml_used() -> int | None:
        try:
            import pynvml

            pynvml.nvmlInit()
            handle = pynvml.nvmlDeviceGetHandleByIndex(0)
            for proc in pynvml.nvmlDeviceGetComputeRunningProcesses(handle):
                if proc.pid == os.getpid():
                    return int(proc.usedGpuMemory or 0)
        except Exception as exc:
            metrics["nvml_error"] = repr(exc)[:200]
        return None

    class Probe(TrainerCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.t0: float | None = None
            self.timed_steps = 0

        def on_train_begin(self, args, state, control, **kwargs):  # type: ignore[no-untyped-def]
            torch.cuda.synchronize()
            metrics["load_peak_reserved_gib"] = torch.cuda.max_memory_reserved() / GIB
            metrics["load_peak_allocated_gib"] = torch.cuda.max_memory_allocated() / GIB
            metrics["weights_allocated_gib"] = torch.cuda.memory_allocated() / GIB
            model = kwargs.get("model")
            if model is not None:
                metrics["trainable_params"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
                dtypes: dict[str, int] = {}
                for p in model.parameters():
                    dtypes[str(p.dtype)] = dtypes.get(str(p.dtype), 0) + p.numel() * p.element_size()
                metrics["param_bytes_by_dtype"] = dtypes
            real_reset()
            metrics["peaks_guarded"] = True
            save()

        def on_step_begin(self, args, state, control, **kwargs):  # type: ignore[no-untyped-def]
            if state.global_step == 2:
                torch.cuda.synchronize()
                self.t0 = time.perf_counter()

        def on_step_end(self, args, state, control, **kwargs):  # type: ignore[no-untyped-def]
            if self.t0 is not None:
                torch.cuda.synchronize()
                self.timed_steps = state.global_step - 2
                metrics["timed_steps"] = self.timed_steps
                metrics["timed_s"] = time.perf_counter() - self.t0
            metrics["steps"] = state.global_step
            metrics["peak_reserved_gib"] = torch.cuda.max_memory_reserved() / GIB
            metrics["peak_allocated_gib"] = torch.cuda.max_memory_allocated() / GIB
            used = nvml_used()
            if used is not None:
                metrics["nvml_used_gib"] = max(float(metrics.get("nvml_used_gib", 0.0)), used / GIB)  # type: ignore[arg-type]
                metrics["context_gib"] = (used - torch.cuda.memory_reserved()) / GIB
            save()

        def on_train_end(self, args, state, control, **kwargs):  # type: ignore[no-untyped-def]
            torch.cuda.synchronize()
            metrics["peak_reserved_gib"] = torch.cuda.max_memory_reserved() / GIB
            metrics["peak_allocated_gib"] = torch.cuda.max_memory_allocated() / GIB
            metrics["train_end"] = True
            save()

    # Axolotl resets the peak counters every time it logs (utils/bench.py gpu_memory_usage_all, called from
    # AxolotlTrainer.log: every step with logging_steps 1), which would leave only the tail of a step in
    # max_memory_*: from here on only this probe resets them, once, when training begins.
    real_reset = torch.cuda.reset_peak_memory_stats
    torch.cuda.reset_peak_memory_stats = lambda *a, **k: None

    original_init = Trainer.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        self.add_callback(Probe())

    Trainer.__init__ = init  # type: ignore[method-assign]
    cap = os.environ.get("FTG_CAP_GIB")
    if cap and torch.cuda.is_available():  # fit grid: PyTorch may not hold more than the budget (less the context)
        total = torch.cuda.get_device_properties(0).total_memory
        torch.cuda.set_per_process_memory_fraction(min(1.0, float(cap) * GIB / total))
        metrics["cap_gib"] = float(cap)
    from axolotl.cli.train import do_cli

    sys.argv = [sys.argv[0]]  # TrainerCliArgs is parsed from argv: leave it nothing to parse
    try:
        do_cli(config=config_path)
    except torch.OutOfMemoryError as exc:
        metrics["oom"] = True
        metrics["error"] = str(exc)[:500]
        metrics["peak_reserved_gib"] = torch.cuda.max_memory_reserved() / GIB
        metrics["peak_allocated_gib"] = torch.cuda.max_memory_allocated() / GIB
        save()
        return 3
    metrics["done"] = True
    save()
    return 0


# ---------------------------------------------------------------------------------------------- set-up


def build_models(plan_dir: Path, names: list[str]) -> None:
    """Build every model in this (main) thread, on the GPU; write them to disk in parallel threads."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    savers = []
    for name in names:
        folder = MODELS_DIR / name
        if (folder / "done").exists():
            continue
        raw = json.loads((plan_dir / "models" / name / "config.json").read_text())
        fields = {k: v for k, v in raw.items() if k not in ("model_type", "architectures", "torch_dtype")}
        config = AutoConfig.for_model(raw["model_type"], **fields)
        specials = ["<unk>", "<pad>", "<s>", "</s>"]
        vocab = {tok: i for i, tok in enumerate(specials)}
        vocab.update({f"t{i}": i for i in range(len(specials), int(raw["vocab_size"]))})
        tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
        tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        fast = PreTrainedTokenizerFast(
            tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", bos_token="<s>", eos_token="</s>"
        )
        torch.manual_seed(0)
        if (plan_dir / "models" / name / "sparse").exists():
            # A whole catalog model (the fit grid): all-zero weights in a sparse checkpoint, no disk, fast load.
            from runner import write_sparse_checkpoint

            write_sparse_checkpoint(config, folder)
            fast.save_pretrained(folder)
            (folder / "done").write_text("sparse")
            continue
        with torch.device("cuda:0" if torch.cuda.is_available() else "cpu"):
            model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)

        def save(model=model, fast=fast, folder=folder) -> None:  # type: ignore[no-untyped-def]
            model.save_pretrained(folder)
            fast.save_pretrained(folder)
            (folder / "done").write_text("ok")

        saver = threading.Thread(target=save)
        saver.start()
        savers.append(saver)
        del model
    for saver in savers:
        saver.join()
    torch.cuda.empty_cache()


def build_dataset(seq: int) -> Path:
    """Alpaca rows whose output alone is longer than ``seq`` tokens: truncated, each is exactly ``seq`` long."""
    path = DATA_DIR / f"alpaca-{seq}.jsonl"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seq)
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(ROWS):
            instruction = " ".join(f"t{rng.randrange(4, WORDS)}" for _ in range(16))
            output = " ".join(f"t{rng.randrange(4, WORDS)}" for _ in range(seq + 16))
            handle.write(json.dumps({"instruction": instruction, "input": "", "output": output}) + "\n")
    return path


def run_yaml(entry: dict, plan_dir: Path, steps: int) -> Path:
    import yaml

    run_dir = RUNS_DIR / entry["id"]
    run_dir.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((plan_dir / entry["yaml"]).read_text())
    config["base_model"] = str(MODELS_DIR / entry["model"])
    config["datasets"][0]["path"] = str(build_dataset(int(entry["seq"])))
    config["output_dir"] = str(run_dir / "out")
    config["dataset_prepared_path"] = str(run_dir / "prepared")
    config["max_steps"] = steps
    config["excess_length_strategy"] = "truncate"
    config["dataset_num_proc"] = 1
    config.update(entry.get("levers") or {})
    if entry.get("budget_gib"):  # a fit-grid run: the memory of one micro-batch, without waiting for 8 of them
        config["gradient_accumulation_steps"] = 1
    if os.environ.get("FTG_AXO_CPU_TEST"):  # plumbing test only: what a CPU forces (tests/test_axolotl_train.py)
        config.update(bf16=False, lora_mlp_kernel=False, lora_qkv_kernel=False, lora_o_kernel=False)
    path = run_dir / "run.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


# ---------------------------------------------------------------------------------------------- scheduler


class NvmlSampler(threading.Thread):
    """Samples NVML's used memory per process id and in total, keeping maxima."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, int] = {}
        self.total_peak = 0
        self.stop = False

    def run(self) -> None:
        try:
            import pynvml

            pynvml.nvmlInit()
            handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception as exc:
            print(f"nvml unavailable: {exc}", flush=True)
            return
        while not self.stop:
            try:
                for proc in pynvml.nvmlDeviceGetComputeRunningProcesses(handle):
                    used = int(proc.usedGpuMemory or 0)
                    self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), used)
                self.total_peak = max(self.total_peak, int(pynvml.nvmlDeviceGetMemoryInfo(handle).used))
            except Exception:
                pass
            time.sleep(0.25)


def reserve_gib(entry: dict) -> float:
    """What a run is assumed to take while scheduling: well above ftguide's current (low) Axolotl estimate."""
    if entry.get("budget_gib"):
        return float(entry["budget_gib"])
    est = float(entry["estimate_gib"])
    return max(1.3 * est, est + 4.0)


#: What a capped run leaves of its budget for the CUDA context (not PyTorch's to allocate).
CONTEXT_ALLOWANCE_GIB = 1.0


def cap_env(entry: dict) -> dict[str, str]:
    budget = entry.get("budget_gib")
    return {"FTG_CAP_GIB": str(float(budget) - CONTEXT_ALLOWANCE_GIB)} if budget else {}


def summarize(raw: Path, out: Path) -> None:
    """Derived figures per run, and the lever pairs, from a raw results file.

    ``measured_gib`` is the process's NVML peak (what nvidia-smi lists for it, sampled at 4 Hz: CUDA context plus
    PyTorch's reserved memory, which only shrinks at ``empty_cache``), the figure ftguide's estimate stands
    for.  ``peak_reserved_gib`` is that minus the context.  The batch of 2026-12-01 predates the probe's guard
    against Axolotl's per-log peak resets, so its in-process ``max_memory_*`` readings cover only the tail of
    the last step and are left out here (``peak_allocated_gib`` is null); its load peak (read before any reset)
    is valid.
    """
    rows = [json.loads(line) for line in raw.read_text().splitlines() if line.strip()]
    derived = []
    for row in rows:
        m = row.get("measured") or {}
        nvml = row.get("nvml_peak_gib")
        ctx = m.get("context_gib")
        rec: dict[str, object] = {
            k: row.get(k)
            for k in ("id", "model", "catalog_model", "layers", "quant", "gc", "batch", "seq", "r", "targets")
        }
        rec.update(levers=row.get("levers") or {}, status=row.get("status"), estimate_gib=row.get("estimate_gib"))
        rec["vram_estimate_gib"] = row.get("vram_estimate_gib")
        rec["measured_gib"] = None if nvml is None else round(nvml, 3)
        rec["context_gib"] = None if ctx is None else round(ctx, 3)
        rec["peak_reserved_gib"] = None if nvml is None or ctx is None else round(nvml - ctx, 3)
        guarded = bool(m.get("peaks_guarded"))
        rec["peak_allocated_gib"] = round(m["peak_allocated_gib"], 3) if guarded else None
        rec["load_peak_reserved_gib"] = m.get("load_peak_reserved_gib")
        rec["weights_allocated_gib"] = m.get("weights_allocated_gib")
        load = m.get("load_peak_reserved_gib")
        if nvml is not None and ctx is not None and load is not None:
            rec["peak_phase"] = "load" if load + ctx >= nvml - 0.1 else "train"
        rec["tokens_per_s"] = row.get("tokens_per_s")
        rec["procs_beside_max"] = row.get("procs_beside_max")
        if nvml:
            rec["error"] = round((float(row["estimate_gib"]) - nvml) / nvml, 4)
        derived.append(rec)
    with out.open("w", encoding="utf-8") as handle:
        for rec in derived:
            handle.write(json.dumps(rec) + "\n")
    knobs = ("model", "quant", "gc", "batch", "seq", "r", "targets")
    base = {tuple(r[k] for k in knobs): r for r in derived if not r["levers"]}
    for rec in derived:
        if rec["levers"] and rec["measured_gib"] is not None:
            ref = base.get(tuple(rec[k] for k in knobs))
            if ref and ref["measured_gib"] is not None:
                delta = float(rec["measured_gib"]) - float(ref["measured_gib"])  # type: ignore[arg-type]
                dload = float(rec["load_peak_reserved_gib"]) - float(ref["load_peak_reserved_gib"])  # type: ignore[arg-type]
                print(
                    f"lever {sorted(rec['levers'])} on {ref['id']}: peak {delta:+.2f} GiB, load peak {dload:+.2f} GiB"
                )
    errors = sorted(abs(float(r["error"])) for r in derived if r.get("error") is not None and not r["levers"])  # type: ignore[arg-type]
    if errors:
        under = sum(1 for r in derived if not r["levers"] and r.get("error") is not None and float(r["error"]) < -0.05)  # type: ignore[arg-type]
        print(
            f"{len(errors)} runs without levers: median |error| {errors[len(errors) // 2]:.1%}, "
            f"worst {errors[-1]:.1%}, {under} under by more than 5%"
        )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        raise SystemExit(child(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 4 and sys.argv[1] == "--summarize":
        summarize(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--capacity-gib", type=float, default=124.0)
    parser.add_argument("--max-procs", type=int, default=8)
    parser.add_argument("--deadline", type=float, default=420.0, help="start no run after this many seconds")
    parser.add_argument("--hard-deadline", type=float, default=520.0, help="kill what still runs then")
    parser.add_argument("--only", default="", help="comma list of run ids (default: all)")
    args = parser.parse_args()
    t0 = time.time()
    plan_dir = args.plan.parent
    plan = json.loads(args.plan.read_text())
    if args.only:
        plan = [e for e in plan if e["id"] in set(args.only.split(","))]
    done_ids = set()
    if args.out.exists():
        done_ids = {json.loads(line)["id"] for line in args.out.read_text().splitlines() if line.strip()}
    plan = [e for e in plan if e["id"] not in done_ids]
    build_models(plan_dir, sorted({e["model"] for e in plan}))
    for seq in sorted({int(e["seq"]) for e in plan}):
        build_dataset(seq)
    print(f"models and data ready in {time.time() - t0:.0f}s", flush=True)
    sampler = NvmlSampler()
    sampler.start()
    pending = sorted(plan, key=lambda e: -reserve_gib(e))
    running: dict[str, tuple[subprocess.Popen, dict, float, Path, object]] = {}
    beside: dict[str, int] = {}

    def finish(run_id: str, killed: bool = False) -> None:
        proc, entry, start, metrics_path, log = running.pop(run_id)
        rc = proc.wait()
        log.close()  # type: ignore[attr-defined]
        log_text = (RUNS_DIR / run_id / "log.txt").read_text(errors="replace")
        result = {**entry, "rc": rc, "wall_s": round(time.time() - start, 1), "procs_beside_max": beside[run_id]}
        measured = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
        result["measured"] = measured
        pid = measured.get("pid")
        if pid in sampler.peaks:
            result["nvml_peak_gib"] = sampler.peaks[pid] / GIB
        if measured.get("timed_s"):
            tokens = int(entry["batch"]) * int(entry["seq"]) * int(measured["timed_steps"])
            result["tokens_per_s"] = round(tokens / float(measured["timed_s"]), 1)
        oom = bool(measured.get("oom")) or "OutOfMemoryError" in log_text or "CUDA out of memory" in log_text
        result["status"] = (
            "timeout" if killed else "ok" if rc == 0 and measured.get("done") else "oom" if oom else "error"
        )
        if result["status"] != "ok":
            result["log_tail"] = log_text[-3000:]
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(result) + "\n")
        peak = measured.get("peak_reserved_gib")
        print(
            f"[{time.time() - t0:5.0f}s] {run_id} {result['status']} rc={rc} "
            f"peak={None if peak is None else round(peak, 2)} est={entry['estimate_gib']} "
            f"ctx={measured.get('context_gib')} tok/s={result.get('tokens_per_s')} wall={result['wall_s']}s",
            flush=True,
        )
        if result["status"] == "error":
            print(log_text[-1500:], flush=True)

    while pending or running:
        for run_id, (proc, *_rest) in list(running.items()):
            if proc.poll() is not None:
                finish(run_id)
        elapsed = time.time() - t0
        if elapsed > args.hard_deadline:
            for run_id, (proc, *_rest) in list(running.items()):
                proc.kill()
                finish(run_id, killed=True)
            break
        used = sum(reserve_gib(entry) for _, entry, *_ in running.values())
        if pending and elapsed < args.deadline and len(running) < args.max_procs:
            for entry in list(pending):
                if used + reserve_gib(entry) <= args.capacity_gib or not running:
                    pending.remove(entry)
                    path = run_yaml(entry, plan_dir, args.steps)
                    metrics_path = path.parent / "metrics.json"
                    log = (path.parent / "log.txt").open("w")
                    proc = subprocess.Popen(
                        [sys.executable, __file__, "--child", str(path), str(metrics_path)],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        cwd=path.parent,
                        env=dict(os.environ, CUDA_VISIBLE_DEVICES="0", OMP_NUM_THREADS="2", **cap_env(entry)),
                    )
                    running[entry["id"]] = (proc, entry, time.time(), metrics_path, log)
                    beside[entry["id"]] = len(running) - 1
                    used += reserve_gib(entry)
                    break
        elif pending and elapsed >= args.deadline and not running:
            break
        for run_id in running:
            beside[run_id] = max(beside[run_id], len(running) - 1)
        time.sleep(1.0)
    for entry in pending:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({**entry, "status": "not_run"}) + "\n")
    sampler.stop = True
    print(
        f"all done in {time.time() - t0:.0f}s; GPU total peak {sampler.total_peak / GIB:.1f} GiB; "
        f"{len(pending)} not run",
        flush=True,
    )


if __name__ == "__main__":
    main()
