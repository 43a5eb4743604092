"""Run a planned calibration batch on the GPU(s) and record peak memory and throughput.

Runs on the device machine (see ``calibration/README.md``):

    source calibration/device_env.sh peft
    python3 calibration/runner.py --plan calibration/work/peft/plan.json --out $OUT/peft.jsonl

For every architecture the plan needs, it builds a random-weight model from the catalog's facts (memory does
not depend on weight values, so no hub access is needed) with a word-level tokenizer of the same vocabulary,
and saves it locally.  Then it runs each planned script, one process per run and one run per GPU at a time,
exactly as a user would: ``python train.py --base-model DIR --dataset data.jsonl --max-steps N
--metrics-json m.json``.  Fit-grid runs are capped to their budget with
``torch.cuda.set_per_process_memory_fraction``.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ftguide.catalog import resolve_model  # noqa: E402

MODELS_DIR = Path(os.environ.get("FTG_MODELS", "/tmp/ftg-models"))
DATA_DIR = Path(os.environ.get("FTG_DATA", "/tmp/ftg-data"))
WORDS = 30000
#: Seconds one run may take before it is killed and recorded as a timeout.
RUN_TIMEOUT = int(os.environ.get("FTG_RUN_TIMEOUT", "240"))
CONTEXT_ALLOWANCE_GIB = 1.0

CAP_WRAPPER = (
    "import runpy, sys, torch\n"
    "total = torch.cuda.get_device_properties(0).total_memory\n"
    "torch.cuda.set_per_process_memory_fraction(min(1.0, float(sys.argv[1]) * 1024**3 / total))\n"
    "sys.argv = sys.argv[2:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def build_model(name: str, device: int) -> Path:
    """A random-weight copy of catalog architecture ``name`` with a matching tokenizer, saved to disk."""
    folder = MODELS_DIR / name
    if (folder / "done").exists():
        return folder
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    arch = resolve_model(name)
    specials = ["<unk>", "<pad>", "<s>", "</s>"]
    vocab = {tok: i for i, tok in enumerate(specials)}
    vocab.update({f"t{i}": i for i in range(len(specials), arch.vocab_size)})
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", bos_token="<s>", eos_token="</s>"
    )
    extra: dict[str, object] = {}
    model_type = arch.model_type
    if arch.model_type == "mistral":
        extra["sliding_window"] = None
    if arch.model_type == "qwen2":
        # transformers 5 replaces a qwen2 checkpoint's tokenizer with its own byte-level one, which reads
        # this word-level vocabulary as near-empty text.  A Llama-class model with q/k/v/o biases has the
        # same shapes and memory (Qwen2 is Llama with q/k/v biases) and keeps the tokenizer as saved.
        model_type = "llama"
        extra["attention_bias"] = True
    config = AutoConfig.for_model(
        model_type,
        hidden_size=arch.hidden_size,
        num_hidden_layers=arch.num_hidden_layers,
        num_attention_heads=arch.num_attention_heads,
        num_key_value_heads=arch.num_key_value_heads,
        head_dim=arch.head_dim,
        intermediate_size=arch.intermediate_size,
        vocab_size=arch.vocab_size,
        tie_word_embeddings=arch.tie_word_embeddings,
        max_position_embeddings=arch.max_position_embeddings,
        pad_token_id=1,
        bos_token_id=2,
        eos_token_id=3,
        **extra,
    )
    torch.manual_seed(0)
    if arch.total_params() > SPARSE_ABOVE:
        # Too big for the machine's disk and RAM as a real checkpoint: every weight reads as zero.
        write_sparse_checkpoint(config, folder)
        fast.save_pretrained(folder)
        (folder / "done").write_text("sparse")
        return folder
    with torch.device(f"cuda:{device}"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    del model
    torch.cuda.empty_cache()
    (folder / "done").write_text("ok")
    return folder


#: Parameters above which the random model is written as a sparse checkpoint (70B and up).
SPARSE_ABOVE = 30e9
SHARD_BYTES = 4 * 1024**3


def write_sparse_checkpoint(config, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """A bf16 safetensors checkpoint of ``config`` whose tensor data are holes in sparse files.

    The model's real tensor names and shapes come from an instance on the meta device; each shard is its
    safetensors header followed by a hole of the data's size (``truncate``), so a 70B checkpoint takes no disk
    and loads as zeros at the speed the kernel hands out zero pages.  Peak memory does not depend on the
    weights' values, and a zero model trains without NaNs (the loss is log V, the adapters' gradients are 0).
    """
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    tensors = [(name, list(t.shape)) for name, t in model.state_dict().items()]
    tied = {"lm_head.weight"} if config.tie_word_embeddings else set()
    del model
    folder.mkdir(parents=True, exist_ok=True)
    config.save_pretrained(folder)
    shards: list[list[tuple[str, list[int]]]] = [[]]
    size = 0
    for name, shape in tensors:
        if name in tied:
            continue
        nbytes = 2 * int(torch.Size(shape).numel())
        if shards[-1] and size + nbytes > SHARD_BYTES:
            shards.append([])
            size = 0
        shards[-1].append((name, shape))
        size += nbytes
    weight_map: dict[str, str] = {}
    total = 0
    for index, shard in enumerate(shards):
        file = f"model-{index + 1:05d}-of-{len(shards):05d}.safetensors"
        header: dict[str, object] = {"__metadata__": {"format": "pt"}}
        offset = 0
        for name, shape in shard:
            nbytes = 2 * int(torch.Size(shape).numel())
            header[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + nbytes]}
            offset += nbytes
            weight_map[name] = file
        raw = json.dumps(header, separators=(",", ":")).encode()
        raw += b" " * (-len(raw) % 8)
        with (folder / file).open("wb") as handle:
            handle.write(len(raw).to_bytes(8, "little"))
            handle.write(raw)
            handle.truncate(8 + len(raw) + offset)
        total += offset
    index_doc = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index_doc, indent=1) + "\n")


#: Two-letter words, each one token of the byte-level tokenizer ``families_runner`` saves where transformers forces
#: its own byte-level class onto a checkpoint's tokenizer (``letters_tokenizer``).
LETTER_WORDS = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"]


def build_dataset(seq: int, letters: bool = False) -> Path:
    """64 text examples of exactly ``seq`` tokens each: ``seq - 1`` words (one token each, no BOS added) and the EOS
    the scripts' reader appends, so every row is one full sequence.

    Rows longer than ``seq`` would be cut by the reader into a full piece and a short remainder; the PEFT script
    pads each batch to its longest sequence, so that cost nothing there, but Unsloth trains padding-free and its
    micro-batches then held only 50-75% of b x s tokens (the held-out Unsloth rounds 1-5 before this change)."""
    path = DATA_DIR / f"{'letters' if letters else 'text'}-{seq}-exact.jsonl"
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seq)
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(64):
            if letters:
                words = " ".join(rng.choice(LETTER_WORDS) for _ in range(seq - 1))
            else:
                words = " ".join(f"t{rng.randrange(4, WORDS)}" for _ in range(seq - 1))
            handle.write(json.dumps({"text": words}) + "\n")
    return path


def run_one(entry: dict, workdir: Path, device: int, steps: int, cap: bool) -> dict:
    run_dir = Path("/tmp/ftg-runs") / entry["id"]
    run_dir.mkdir(parents=True, exist_ok=True)
    metrics = run_dir / "metrics.json"
    script = str(workdir / entry["script"])
    args = [
        script,
        "--base-model",
        str(MODELS_DIR / entry["model"]),
        "--dataset",
        str(build_dataset(int(entry["seq"]))),
        "--dataset-format",
        "text",
        "--output-dir",
        str(run_dir / "out"),
        "--max-steps",
        str(steps),
        "--metrics-json",
        str(metrics),
    ]
    if cap and entry.get("budget_gib"):
        args += ["--gradient-accumulation-steps", "1"]
        cmd = [sys.executable, "-c", CAP_WRAPPER, str(float(entry["budget_gib"]) - CONTEXT_ALLOWANCE_GIB), *args]
    else:
        cmd = [sys.executable, *args]
    env = dict(os.environ, CUDA_VISIBLE_DEVICES=str(device), PYTHONUNBUFFERED="1")
    start = time.time()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT)
        rc, stderr = done.returncode, done.stderr
    except subprocess.TimeoutExpired as exc:
        rc, stderr = -9, (exc.stderr or b"").decode() if isinstance(exc.stderr, bytes) else str(exc.stderr or "")
    result = {**entry, "rc": rc, "wall_s": round(time.time() - start, 1)}
    if resolve_model(entry["model"]).model_type == "qwen2":
        result["build"] = "llama-class"
    result["oom"] = "OutOfMemoryError" in stderr or "CUDA out of memory" in stderr
    if metrics.exists():
        result["measured"] = json.loads(metrics.read_text())
    if rc != 0:
        result["stderr_tail"] = stderr[-3000:]
    subprocess.run(["rm", "-rf", str(run_dir / "out")], check=False)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--gpus", type=int, default=0, help="GPUs to use (default: all)")
    parser.add_argument("--cap", action="store_true", help="cap each run to its budget_gib (fit grid)")
    parser.add_argument("--only", default="", help="comma list of run ids to run (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="run at most N entries (smoke tests)")
    parser.add_argument("--deadline", type=float, default=0, help="start no run after this many seconds")
    args = parser.parse_args()
    import torch
    import transformers  # noqa: F401  (imported once here: its lazy imports are not thread-safe)
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast  # noqa: F401

    gpus = args.gpus or torch.cuda.device_count()
    plan = [e for e in json.loads(args.plan.read_text()) if e.get("script")]
    if args.only:
        wanted = set(args.only.split(","))
        plan = [e for e in plan if e["id"] in wanted]
    done_ids = set()
    if args.out.exists():
        done_ids = {json.loads(line)["id"] for line in args.out.read_text().splitlines() if line.strip()}
    plan = [e for e in plan if e["id"] not in done_ids]
    if args.limit:
        plan = plan[: args.limit]
    # Build every model first, spread over the GPUs.
    names = sorted({e["model"] for e in plan})
    t0 = time.time()
    threads = [threading.Thread(target=build_model, args=(n, i % gpus)) for i, n in enumerate(names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"models ready in {time.time() - t0:.0f}s: {names}", flush=True)
    work: queue.Queue = queue.Queue()
    for entry in sorted(plan, key=lambda e: -float(e.get("estimate_gib") or 0)):
        work.put(entry)
    lock = threading.Lock()
    failures: list[str] = []

    def worker(device: int) -> None:
        while True:
            if args.deadline and time.time() - t0 > args.deadline:
                return
            if len(failures) >= 4:  # the same bug in every run: stop spending GPU time
                return
            try:
                entry = work.get_nowait()
            except queue.Empty:
                return
            result = run_one(entry, args.plan.parent, device, args.steps, args.cap)
            with lock, args.out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(result) + "\n")
            peak = result.get("measured", {}).get("peak_gib")
            print(
                f"[gpu{device}] {entry['id']} rc={result['rc']} oom={result['oom']} "
                f"peak={peak if peak is None else round(peak, 2)} est={entry.get('estimate_gib')} "
                f"wall={result['wall_s']}s",
                flush=True,
            )
            if result["rc"] != 0 and not result["oom"]:
                failures.append(entry["id"])
                print(result.get("stderr_tail", "")[-1500:], flush=True)

    pool = [threading.Thread(target=worker, args=(d,)) for d in range(gpus)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(f"all done in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
