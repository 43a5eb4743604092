"""Every rendered file checked by the real tool that consumes it.

* Axolotl YAML: Axolotl's own ``validate_config`` (offline, CPU) plus a key-by-key check against its schema.
* PEFT + TRL script: a real training run on CPU with a tiny random model, every dataset format, LoRA and
  QLoRA, evaluation and early stopping, then the adapter loaded back.
* Unsloth script: every call checked against Unsloth's real signatures, read from its source.

The tools live in isolated environments built by ``ci/toolenvs.sh`` (the README's test command builds them).
Under ``CI=true`` a missing environment is a failure, never a skip.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, in_ci, run_cli

from ftguide.engine import suggest
from ftguide.models import Profile, Request
from ftguide.render import render

pytestmark = pytest.mark.integration

TOOLENVS = Path(os.environ.get("FTGUIDE_TOOLENVS", ROOT / ".toolenvs"))
TRAIN_PY = TOOLENVS / "train" / "bin" / "python"
AXOLOTL_PY = TOOLENVS / "axolotl" / "bin" / "python"
UNSLOTH_SRC = TOOLENVS / "unsloth-src"
TOOLS = ROOT / "tests" / "tools"
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "AXOLOTL_DO_NOT_TRACK": "1",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def need(path: Path) -> None:
    if path.exists():
        return
    message = f"{path} missing: run ci/toolenvs.sh"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def tool(python: Path, *args: str, timeout: int = 900, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **OFFLINE)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(python), *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd, check=False
    )


# ---------------------------------------------------------------------------------------------- Axolotl

#: Profiles beyond the examples: every quantization, dataset format and precision, small and large runs.
SAMPLE_REQUESTS = [
    dict(examples=50, model="llama-3.2-1b", vram_gib=8.0, dataset_format="messages"),
    dict(examples=300, model="qwen2.5-7b", gpu="T4", dataset_format="sharegpt"),
    dict(examples=2000, model="phi-3-mini-4k", vram_gib=24.0, dataset_format="prompt_completion"),
    dict(examples=9000, model="gemma-2-9b", vram_gib=40.0, dataset_format="text"),
    dict(examples=800, model="mistral-7b-v0.3", overrides={"quantization": "8bit"}),
    dict(examples=120_000, model="llama-3.1-8b", vram_gib=80.0),
    dict(examples=20, model="smollm2-360m", overrides={"lr_scheduler": "constant", "warmup_ratio": 0.05}),
    dict(examples=700, model="qwen3-8b", gpu="RTX-4090", task="style", alpha_pattern="aggressive"),
    # the Axolotl path short of memory: the fitter turns chunked_cross_entropy on; frozen embeddings kept 16-bit
    dict(
        examples=3000,
        model="llama-3.2-1b",
        vram_gib=6.0,
        framework="axolotl",
        overrides={"quantization": "4bit", "embeddings_upcast": False},
    ),
]


def axolotl_files(tmp_path: Path) -> list[Path]:
    files = sorted((ROOT / "examples").glob("*/axolotl.yaml"))
    for i, req in enumerate(SAMPLE_REQUESTS):
        result = suggest(Request.model_validate(req))
        path = tmp_path / f"sample{i}.yaml"
        path.write_text(render(result.profile, "axolotl"))
        files.append(path)
    return files


def validate_axolotl(files: list[Path], caps: dict[str, object]) -> dict[str, dict]:
    done = tool(
        AXOLOTL_PY, str(TOOLS / "axolotl_validate.py"), "--gpu-caps", json.dumps(caps), *map(str, files), timeout=600
    )
    assert done.stdout.strip(), done.stderr[-3000:]
    return {r["file"]: r for r in json.loads(done.stdout)["results"]}


def test_axolotl_validates_every_rendered_config(tmp_path: Path) -> None:
    need(AXOLOTL_PY)
    files = axolotl_files(tmp_path)
    caps = {"bf16": True, "fp8": False, "tf32": True, "n_gpu": 1, "compute_capability": "sm_86"}
    results = validate_axolotl(files, caps)
    assert len(results) == len(files)
    for name, result in results.items():
        assert result["ok"], (name, result["errors"])
        assert result["unknown_keys"] == [], (name, result["unknown_keys"])
    docs = [yaml.safe_load(path.read_text()) for path in files]
    for key in ("chunked_cross_entropy", "embeddings_skip_upcast"):  # the levers' keys are among those validated
        assert any(doc.get(key) is True for doc in docs), key


def test_axolotl_fp16_config_validates_on_a_t4(tmp_path: Path) -> None:
    need(AXOLOTL_PY)
    path = tmp_path / "t4.yaml"
    path.write_text(render(suggest(Request(examples=1500, model="qwen2.5-7b", gpu="T4")).profile, "axolotl"))
    caps = {"bf16": False, "fp8": False, "tf32": False, "n_gpu": 1, "compute_capability": "sm_75"}
    result = validate_axolotl([path], caps)[str(path)]
    assert result["ok"] and result["unknown_keys"] == [], result


def test_a_broken_axolotl_config_is_caught(tmp_path: Path) -> None:
    """The check is not vacuous: an unknown key and a conflicting pair both fail."""
    need(AXOLOTL_PY)
    good = yaml.safe_load(render(suggest(Request(examples=800, model="7B", vram_gib=12)).profile, "axolotl"))
    typo = tmp_path / "typo.yaml"
    typo.write_text(yaml.safe_dump({**good, "lora_rank": 16}))
    conflict = tmp_path / "conflict.yaml"
    conflict.write_text(yaml.safe_dump({**good, "warmup_steps": 10}))
    results = validate_axolotl(
        [typo, conflict], {"bf16": True, "fp8": False, "tf32": True, "n_gpu": 1, "compute_capability": "sm_86"}
    )
    assert results[str(typo)]["unknown_keys"] == ["lora_rank"]
    assert not results[str(conflict)]["ok"]


# ------------------------------------------------------------------------------------ PEFT + TRL on CPU


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    need(TRAIN_PY)
    base = tmp_path_factory.mktemp("tiny")
    model = base / "model"
    done = tool(TRAIN_PY, str(TOOLS / "make_tiny_model.py"), str(model), "--family", "llama")
    assert done.returncode == 0, done.stderr[-3000:]
    data = base / "data"
    done = subprocess.run(
        [sys.executable, str(TOOLS / "make_datasets.py"), str(data), "--n", "40"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return model, data


def rendered_script(tmp_path: Path, model: Path, *flags: str) -> Path:
    done = run_cli("suggest", "--examples", "40", "--model", str(model), "--emit", "peft", *flags)
    assert done.returncode == 0, done.stderr
    script = tmp_path / "train.py"
    script.write_text(done.stdout)
    return script


def train(script: Path, data: Path, fmt: str, out: Path, steps: int = 4) -> subprocess.CompletedProcess[str]:
    return tool(
        TRAIN_PY,
        str(script),
        "--dataset",
        str(data / f"{fmt}.jsonl"),
        "--dataset-format",
        fmt,
        "--output-dir",
        str(out),
        "--max-steps",
        str(steps),
        "--eval-steps",
        "1",
        "--metrics-json",
        str(out / "metrics.json"),
        timeout=600,
        cwd=out.parent,
    )


LOAD_BACK = """
import sys, torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer
base = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
model = PeftModel.from_pretrained(base, sys.argv[2])
tok = AutoTokenizer.from_pretrained(sys.argv[2])
ids = tok("what is two plus two", return_tensors="pt")
out = model.generate(**ids, max_new_tokens=3, do_sample=False)
print("LOADED", sum(p.numel() for n, p in model.named_parameters() if "lora_" in n), out.shape[1])
"""


@pytest.mark.parametrize(
    ("fmt", "quant"),
    [("alpaca", "4bit"), ("messages", "none"), ("prompt_completion", "none"), ("text", "none"), ("sharegpt", "8bit")],
)
def test_peft_script_trains_on_cpu(tiny: tuple[Path, Path], tmp_path: Path, fmt: str, quant: str) -> None:
    model, data = tiny
    script = rendered_script(tmp_path, model, "--dataset-format", fmt, "--quant", quant)
    out = tmp_path / "out"
    out.mkdir()
    done = train(script, data, fmt, out)
    assert done.returncode == 0, done.stderr[-4000:]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] >= 1 and metrics["final_loss"] is not None
    assert (out / "adapter_model.safetensors").exists() and (out / "adapter_config.json").exists()
    assert "eval_loss" in done.stderr + done.stdout  # evaluation ran
    loaded = tool(TRAIN_PY, "-c", LOAD_BACK, str(model), str(out))
    assert loaded.returncode == 0 and "LOADED" in loaded.stdout, loaded.stderr[-3000:]
    assert int(loaded.stdout.split()[1]) > 0


def test_early_stopping_stops_a_run_that_stops_improving(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    """With a learning rate this tiny the eval loss cannot improve, so patience 3 ends the run early."""
    model, data = tiny
    script = rendered_script(tmp_path, model, "--dataset-format", "text", "--quant", "none", "--learning-rate", "1e-12")
    out = tmp_path / "out"
    out.mkdir()
    done = train(script, data, "text", out, steps=30)
    assert done.returncode == 0, done.stderr[-4000:]
    steps = json.loads((out / "metrics.json").read_text())["steps"]
    assert steps < 30, f"early stopping never fired ({steps} steps)"
    state = json.loads(next(out.glob("checkpoint-*/trainer_state.json")).read_text())
    assert state["best_metric"] is not None


def test_a_broken_peft_script_is_caught(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    """An argument TRL removed (``max_seq_length=`` on SFTTrainer) makes the run fail: the check has teeth."""
    model, data = tiny
    script = rendered_script(tmp_path, model, "--dataset-format", "text", "--quant", "none")
    text = script.read_text()
    broken = text.replace("peft_config=lora,", "peft_config=lora,\n        max_seq_length=64,")
    assert broken != text
    script.write_text(broken)
    out = tmp_path / "out"
    out.mkdir()
    done = train(script, data, "text", out, steps=2)
    assert done.returncode != 0
    assert "max_seq_length" in done.stderr


# ---------------------------------------------------------------------------------------------- Unsloth


def calls(tree: ast.AST, dotted: str) -> list[ast.Call]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == dotted:
            found.append(node)
    return found


def test_unsloth_script_matches_unsloths_signatures() -> None:
    need(UNSLOTH_SRC)
    done = subprocess.run(
        [sys.executable, str(TOOLS / "unsloth_signatures.py"), str(UNSLOTH_SRC)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sigs = json.loads(done.stdout)
    profile = suggest(Request(examples=800, model="7B", vram_gib=12)).profile
    tree = ast.parse(render(profile, "unsloth"))
    for dotted in ("FastLanguageModel.from_pretrained", "FastLanguageModel.get_peft_model"):
        found = calls(tree, dotted)
        assert len(found) == 1, dotted
        params = set(sigs[dotted]["params"])
        given = {k.arg for k in found[0].keywords}
        assert given <= params, (dotted, given - params)
        positional = [p for p in sigs[dotted]["params"] if p not in ("self", "cls")]
        assert len(found[0].args) <= 1 and (not found[0].args or positional[0] == "model"), dotted
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "unsloth"
        for alias in node.names
    }
    assert imported <= set(sigs["unsloth.exports"]), imported
    # Unsloth must be imported before transformers and TRL, or it cannot patch them.
    order = [node.module for node in tree.body if isinstance(node, ast.ImportFrom)]
    assert order.index("unsloth") < order.index("transformers") < len(order)
    assert order.index("unsloth") < order.index("trl")


def test_unsloth_and_peft_scripts_pass_sftconfig_only_real_fields() -> None:
    """SFTConfig keywords of both scripts exist in the pinned TRL (its dataclass fields, read at runtime)."""
    need(TRAIN_PY)
    done = tool(
        TRAIN_PY,
        "-c",
        "import dataclasses, json, trl; print(json.dumps([f.name for f in dataclasses.fields(trl.SFTConfig)]))",
    )
    assert done.returncode == 0, done.stderr
    fields = set(json.loads(done.stdout))
    profile = suggest(Request(examples=800, model="7B", vram_gib=12)).profile
    for target in ("peft", "unsloth"):
        tree = ast.parse(render(profile, target))
        (config,) = calls(tree, "SFTConfig")
        given = {k.arg for k in config.keywords}
        assert given <= fields, (target, given - fields)
        assert "max_seq_length" not in given and "warmup_ratio" not in given


def test_unsloth_run_on_h200_is_recorded() -> None:
    """The Unsloth script ran for real on an H200: the log and results are committed (see calibration/)."""
    rows = [json.loads(line) for line in (ROOT / "calibration" / "results" / "unsloth.jsonl").read_text().splitlines()]
    trained = [r for r in rows if r["rc"] == 0 and r["measured"]["steps"] >= 5]
    assert len(trained) >= 10
    assert all(r["measured"]["gpu"] == "NVIDIA H200" for r in trained)


def test_profile_validation_rejects_what_the_tools_would() -> None:
    with pytest.raises(ValueError):
        Profile.model_validate(
            {**suggest(Request(examples=800, model="7B")).profile.model_dump(), "target_modules": ["q_proj", "q_proj"]}
        )


# ------------------------------------------------------------------------------------------- multi-GPU


def emit_folder(tmp_path: Path, *flags: str) -> Path:
    out = tmp_path / "run"
    done = run_cli("--quiet", "suggest", *flags, "-o", f"{out}/", "--format", "json")
    assert done.returncode == 0, done.stderr
    return out


def test_multi_gpu_axolotl_configs_validate(tmp_path: Path) -> None:
    need(AXOLOTL_PY)
    fsdp = emit_folder(
        tmp_path / "a",
        "--examples",
        "20000",
        "--model",
        "70B",
        "--gpu",
        "A100-80GB",
        "--gpus",
        "4",
        "--emit",
        "axolotl",
    )
    zero = emit_folder(
        tmp_path / "b",
        "--examples",
        "20000",
        "--model",
        "8B",
        "--gpus",
        "2",
        "--sharding",
        "zero2",
        "--emit",
        "axolotl",
    )
    assert yaml.safe_load((fsdp / "axolotl.yaml").read_text())["fsdp_version"] == 2
    assert yaml.safe_load((zero / "axolotl.yaml").read_text())["deepspeed"] == "deepspeed_zero2.json"
    assert json.loads((zero / "deepspeed_zero2.json").read_text())["zero_optimization"]["stage"] == 2
    caps = {"bf16": True, "fp8": False, "tf32": True, "n_gpu": 4, "compute_capability": "sm_80"}
    results = validate_axolotl([fsdp / "axolotl.yaml", zero / "axolotl.yaml"], caps)
    for name, result in results.items():
        assert result["ok"] and result["unknown_keys"] == [], (name, result)
    nested = [k for r in results.values() for k in r["unknown_keys"]]
    assert nested == []


@pytest.mark.parametrize("sharding", ["ddp", "fsdp", "zero2", "zero3"])
def test_accelerate_config_loads_with_accelerate(tmp_path: Path, sharding: str) -> None:
    need(TRAIN_PY)
    out = emit_folder(
        tmp_path, "--examples", "20000", "--model", "8B", "--gpus", "4", "--sharding", sharding, "--emit", "peft"
    )
    code = (
        "import sys; from accelerate.commands.config.config_args import load_config_from_file; "
        "c = load_config_from_file(sys.argv[1]); print(c.distributed_type, c.num_processes)"
    )
    done = tool(TRAIN_PY, "-c", code, str(out / "accelerate_config.yaml"), cwd=out)
    assert done.returncode == 0, done.stderr[-3000:]
    expected = {"ddp": "MULTI_GPU", "fsdp": "FSDP", "zero2": "DEEPSPEED", "zero3": "DEEPSPEED"}[sharding]
    assert done.stdout.split() == [f"DistributedType.{expected}", "4"]


def test_peft_script_trains_data_parallel_on_two_cpu_processes(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    model, data = tiny
    out = emit_folder(
        tmp_path,
        "--examples",
        "40",
        "--model",
        str(model),
        "--gpus",
        "2",
        "--quant",
        "none",
        "--dataset-format",
        "text",
        "--emit",
        "peft",
    )
    assert (out / "accelerate_config.yaml").exists()
    torchrun = TRAIN_PY.parent / "torchrun"
    done = tool(
        torchrun,
        "--nproc_per_node",
        "2",
        str(out / "train.py"),
        "--dataset",
        str(data / "text.jsonl"),
        "--output-dir",
        str(out / "adapter"),
        "--max-steps",
        "3",
        "--eval-steps",
        "1",
        "--metrics-json",
        str(out / "metrics.json"),
        cwd=out,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["world_size"] == 2 and metrics["steps"] == 3
    assert (out / "adapter" / "adapter_model.safetensors").exists()
