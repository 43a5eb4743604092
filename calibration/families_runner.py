"""Run the per-family batch on one GPU, several processes at once, and record each run's peak memory.

Runs on the device machine, with both stacks unpacked (``calibration/device_env.sh``):

    source calibration/device_env.sh unsloth && export FTG_PP_UNSLOTH=$PYTHONPATH
    source calibration/device_env.sh peft && export FTG_PP_PEFT=$PYTHONPATH
    python3 calibration/families_runner.py --plan calibration/work/families/plan.json --out $OUT/families.jsonl

It builds a random-weight model from each family's ``config.json`` (on the GPU, saved to local disk with a
word-level tokenizer of the same vocabulary), then runs the rendered scripts as a user would, each in its
own process with its own stack on ``PYTHONPATH``.  Processes share the GPU: one starts when its estimate,
with head-room, fits beside the ones running.  Each process's PyTorch peak is its own (the caching
allocator is per process); its CUDA context cannot be told apart from the others' by ``mem_get_info``, so
the fit takes the context from the runs made alone.  NVML's per-process figure (what ``nvidia-smi`` shows)
is sampled as well, where the driver reports it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "calibration"))

from runner import LETTER_WORDS, build_dataset  # noqa: E402

MODELS_DIR = Path(os.environ.get("FTG_MODELS", "/tmp/ftg-models"))
RUNS_DIR = Path("/tmp/ftg-famruns")
RUN_TIMEOUT = float(os.environ.get("FTG_RUN_TIMEOUT", "200"))


def make_model(config_file: Path):  # type: ignore[no-untyped-def]
    """A random-weight model of ``config_file``'s architecture (bf16, on the GPU) and a word-level tokenizer.

    Called from the main thread only: transformers' lazy imports are not thread-safe.
    """
    import torch
    import transformers
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    raw = json.loads(config_file.read_text())
    release = None
    if "text_config" in raw and "vision_config" in raw:
        # A whole release (Qwen3.5's image-text wrapper, vision tower included), saved as the hub's checkpoints are:
        # the scripts' loaders, not the runner, choose what of it to load.
        fields = {k: v for k, v in raw.items() if k not in ("model_type", "architectures", "torch_dtype")}
        release = AutoConfig.for_model(raw["model_type"], **fields)
    if "text_config" in raw:
        # A release's image-text wrapper (Qwen3.5) without its vision tower: the text model alone, which
        # AutoModelForCausalLM builds from the release too (the vision tower is never loaded), saved as its own
        # checkpoint.
        raw = {**raw["text_config"], "tie_word_embeddings": raw.get("tie_word_embeddings", False)}
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
    if not word_level_survives(release or config, fast):
        fast = letters_tokenizer()
    torch.manual_seed(0)
    with torch.device(os.environ.get("FTG_BUILD_DEVICE", "cuda:0")):
        if release is not None:
            model = transformers.AutoModelForImageTextToText.from_config(release, dtype=torch.bfloat16)
        elif type(config) in AutoModelForCausalLM._model_mapping:
            model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
        else:  # no causal-LM auto mapping (mistral4 on transformers 5.23): the class the config names
            model = getattr(transformers, raw["architectures"][0])._from_config(config, dtype=torch.bfloat16)
    return model, fast


def word_level_survives(config, fast) -> bool:  # type: ignore[no-untyped-def]
    """Whether AutoTokenizer, given a checkpoint of ``config`` with the word-level test tokenizer ``fast``, reads its
    words back.  transformers 5.23 forces its own byte-level class on some model types whatever the checkpoint's
    tokenizer_config names (``Qwen3_5Tokenizer`` on qwen3_5_moe_text), which rebuilds a BPE from the saved
    vocabulary and reads the test words as empty text: round 23's first Qwen3.5-MoE PEFT runs died on an empty
    dataset."""
    import tempfile

    from transformers import AutoTokenizer

    with tempfile.TemporaryDirectory() as folder:
        config.save_pretrained(folder)
        fast.save_pretrained(folder)
        return bool(AutoTokenizer.from_pretrained(folder)("t4 t5")["input_ids"] == [4, 5])


def letters_tokenizer():  # type: ignore[no-untyped-def]
    """A byte-level BPE whose two-letter words (``runner.LETTER_WORDS``) are one token each, with or without the
    leading space, however a byte-level class rebuilds it from the saved vocabulary and merges."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {tok: i for i, tok in enumerate(["<unk>", "<pad>", "<s>", "</s>"])}
    for char in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab.setdefault(char, len(vocab))
    merges = []
    for a in "abcdefghijklmnopqrstuvwxyz":
        merges.append(("\u0120", a))
        vocab.setdefault("\u0120" + a, len(vocab))
    for word in LETTER_WORDS:
        merges += [("\u0120" + word[0], word[1]), (word[0], word[1])]
        vocab.setdefault("\u0120" + word, len(vocab))
        vocab.setdefault(word, len(vocab))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", bos_token="<s>", eos_token="</s>"
    )
    fast.ftg_letters = True
    return fast


def save_model(model, fast, folder: Path) -> None:  # type: ignore[no-untyped-def]
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    if getattr(fast, "ftg_letters", False):
        (folder / "letters").write_text("its tokenizer reads runner.LETTER_WORDS")
    (folder / "done").write_text("ok")


#: Disk kept free beside the models (datasets, run folders, adapters saved at the end of each run).
DISK_MARGIN_BYTES = 6 * 1024**3


def room_for(size: int, free: int, pending: int, margin: int = DISK_MARGIN_BYTES) -> bool:
    """Whether a checkpoint of ``size`` bytes fits the ``free`` disk beside the ``pending`` bytes still being
    written by other savers, keeping ``margin`` free."""
    return size + pending + margin <= free


def build_models(names: list[tuple[str, str]]) -> set[str]:
    """Build every model in the main thread and write them to disk in parallel threads; return the names left
    unbuilt because the disk could not hold them (their runs wait for a later call).

    A plan whose models together exceed the device's disk used to fail mid-write (round 11's first call: 18 models,
    8 of them never written, their runs failed at load); now each model is written only where it fits.
    """
    import shutil

    savers = []
    pending_bytes: dict[str, int] = {}
    skipped: set[str] = set()
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    for name, config in names:
        folder = MODELS_DIR / name
        if (folder / "done").exists():
            continue
        model, fast = make_model(ROOT / config)
        size = sum(p.numel() * p.element_size() for p in model.parameters())
        writing = sum(b for n, b in pending_bytes.items() if not (MODELS_DIR / n / "done").exists())
        if not room_for(size, shutil.disk_usage(MODELS_DIR).free, writing):
            print(f"no disk for {name} ({size / 1e9:.1f} GB): its runs are left for a later call", flush=True)
            skipped.add(name)
            del model
            continue
        pending_bytes[name] = size
        saver = threading.Thread(target=save_model, args=(model, fast, folder))
        saver.start()
        savers.append(saver)
        del model
    for saver in savers:
        saver.join()
    return skipped


class NvmlSampler(threading.Thread):
    """Samples NVML's used memory per process id (what nvidia-smi lists), keeping each pid's maximum."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, int] = {}
        self.ok = False
        self.stop = False

    def run(self) -> None:
        try:
            import pynvml

            pynvml.nvmlInit()
            handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception as exc:
            print(f"nvml unavailable: {exc}", flush=True)
            return
        self.ok = True
        while not self.stop:
            try:
                for proc in pynvml.nvmlDeviceGetComputeRunningProcesses(handle):
                    used = proc.usedGpuMemory or 0
                    if used > self.peaks.get(proc.pid, 0):
                        self.peaks[proc.pid] = used
            except Exception:
                pass
            time.sleep(0.2)


def launch(entry: dict, workdir: Path, steps: int) -> tuple[subprocess.Popen, Path]:
    run_dir = RUNS_DIR / entry["id"]
    run_dir.mkdir(parents=True, exist_ok=True)
    # A traced run goes through calibration/memtrace.py, which writes what was alive at the memory peak.
    tracer = [str(ROOT / "calibration" / "memtrace.py"), str(run_dir / "trace.json")] if entry.get("trace") else []
    args = [
        sys.executable,
        *tracer,
        str(workdir / entry["script"]),
        "--base-model",
        str(MODELS_DIR / entry["model"]),
        "--dataset",
        str(build_dataset(int(entry["seq"]), letters=(MODELS_DIR / entry["model"] / "letters").exists())),
        "--dataset-format",
        "text",
        "--output-dir",
        str(run_dir / "out"),
        "--max-steps",
        str(steps),
        "--metrics-json",
        str(run_dir / "metrics.json"),
    ]
    stack = "FTG_PP_UNSLOTH" if entry["framework"] == "unsloth" else "FTG_PP_PEFT"
    env = dict(
        os.environ,
        PYTHONPATH=os.environ[stack],
        CUDA_VISIBLE_DEVICES="0",
        PYTHONUNBUFFERED="1",
        HF_DATASETS_CACHE=str(run_dir / "datasets"),
        **entry.get("env", {}),
    )
    log = (run_dir / "log.txt").open("w")
    proc = subprocess.Popen(args, cwd=run_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, run_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--max-par", type=int, default=12, help="processes at once")
    parser.add_argument("--gib", type=float, default=124.0, help="GiB the running estimates may add up to")
    parser.add_argument("--deadline", type=float, default=330, help="start no run after this many seconds")
    parser.add_argument("--hard", type=float, default=500, help="kill what still runs after this many seconds")
    parser.add_argument("--only", default="", help="comma list of run ids (default: all)")
    parser.add_argument("--skip", type=Path, nargs="*", default=[], help="result files whose ids are done")
    args = parser.parse_args()
    t0 = time.time()
    import torch

    plan = json.loads(args.plan.read_text())
    if args.only:
        wanted = set(args.only.split(","))
        plan = [e for e in plan if e["id"] in wanted]
    done_ids: set[str] = set()
    for path in [*args.skip, args.out]:
        if path.exists():
            done_ids |= {json.loads(x)["id"] for x in path.read_text().splitlines() if x.strip()}
    plan = [e for e in plan if e["id"] not in done_ids]
    # Models in the order their runs come (priority, then the largest estimate), so the first runs get the disk.
    order = sorted(plan, key=lambda e: (e["priority"], -float(e["estimate_gib"])))
    names = list(dict.fromkeys((e["model"], e["config"]) for e in order))
    unbuilt = build_models(names)
    if unbuilt:
        left = [e["id"] for e in plan if e["model"] in unbuilt]
        print(f"not started (no disk; run them in another call): {left}", flush=True)
        plan = [e for e in plan if e["model"] not in unbuilt]
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    print(f"models ready in {time.time() - t0:.0f}s: {[n for n, _ in names if n not in unbuilt]}", flush=True)
    for seq, letters in sorted({(int(e["seq"]), (MODELS_DIR / e["model"] / "letters").exists()) for e in plan}):
        build_dataset(seq, letters)

    sampler = NvmlSampler()
    sampler.start()
    pending = sorted(plan, key=lambda e: (e["priority"], -float(e["estimate_gib"])))
    running: dict[str, tuple[dict, subprocess.Popen, Path, float, float]] = {}
    # A stack that fails its first runs outright (not out of memory) is not given more GPU time.
    failures = {"peft": 0, "unsloth": 0}
    successes = {"peft": 0, "unsloth": 0}

    def need(entry: dict) -> float:
        return float(entry["estimate_gib"]) * 1.15 + 1.0

    while pending or running:
        now = time.time() - t0
        dead = {fw for fw in failures if failures[fw] >= 5 and successes[fw] == 0}
        pending = [e for e in pending if e["framework"] not in dead]
        while pending and now < args.deadline and len(running) < args.max_par:
            used = sum(need(e) for e, *_ in running.values())
            pick = next((e for e in pending if used + need(e) <= args.gib), None)
            if pick is None:
                break
            pending.remove(pick)
            proc, run_dir = launch(pick, args.plan.resolve().parent, args.steps)
            running[pick["id"]] = (pick, proc, run_dir, time.time(), used)
            print(f"[{now:5.0f}s] start {pick['id']} est={pick['estimate_gib']} beside={used:.0f} GiB", flush=True)
        if now >= args.deadline and pending:
            print(f"[{now:5.0f}s] deadline: {len(pending)} not started: {[e['id'] for e in pending]}", flush=True)
            pending = []
        for run_id in list(running):
            entry, proc, run_dir, started, beside = running[run_id]
            wall = time.time() - started
            if proc.poll() is None and wall < RUN_TIMEOUT and time.time() - t0 < args.hard:
                continue
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            del running[run_id]
            text = (run_dir / "log.txt").read_text(errors="replace")
            result = {**entry, "rc": proc.returncode, "wall_s": round(wall, 1), "beside_gib": round(beside, 1)}
            result["oom"] = "OutOfMemoryError" in text or "CUDA out of memory" in text
            metrics = run_dir / "metrics.json"
            if metrics.exists():
                result["measured"] = json.loads(metrics.read_text())
            trace = run_dir / "trace.json"
            if trace.exists():
                result["trace"] = json.loads(trace.read_text())
            if sampler.ok and proc.pid in sampler.peaks:
                result["nvml_peak_bytes"] = sampler.peaks[proc.pid]
            if proc.returncode != 0:
                result["log_tail"] = text[-4000:]
                failures[entry["framework"]] += 0 if result["oom"] else 1
            else:
                successes[entry["framework"]] += 1
            with args.out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(result) + "\n")
            peak = result.get("measured", {}).get("peak_gib")
            print(
                f"[{time.time() - t0:5.0f}s] done {run_id} rc={proc.returncode} oom={result['oom']} "
                f"peak={None if peak is None else round(peak, 2)} nvml="
                f"{round(result.get('nvml_peak_bytes', 0) / 2**30, 2)} est={entry['estimate_gib']} wall={wall:.0f}s",
                flush=True,
            )
            if proc.returncode != 0 and not result["oom"]:
                print(text[-1200:], flush=True)
            subprocess.run(["rm", "-rf", str(run_dir / "out")], check=False)
        time.sleep(0.5)
    sampler.stop = True
    print(f"all done in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
