"""``axolotl train`` of ftguide's own rendered YAML, a few steps on the CPU.

The YAML comes from ``ftguide suggest --emit axolotl`` and is run by Axolotl 0.19.0's real CLI (``axolotl
train``, which launches ``accelerate launch -m axolotl.cli.train``) in the ``axolotl`` tool environment, with a
tiny random-weight model (``tests/tools/make_tiny_model.py``) and tiny local datasets, offline.  Two runs, side by
side: a 16-bit LoRA on alpaca data and a 4-bit QLoRA (bitsandbytes NF4 on the CPU, 8-bit AdamW) on chat
messages.  Each must finish, evaluate, log a loss per step and write an adapter whose LoRA B matrices have moved
off their zero initialisation.

Only what a CPU forces is changed in the rendered YAML (see ``CPU_CHANGES``); everything else (evaluation,
checkpoints, early stopping, best-model reload, optimizer, scheduler, gradient checkpointing) runs as rendered.
Under ``CI=true`` a missing tool environment is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, in_ci, run_cli

pytestmark = pytest.mark.integration

TOOLENVS = Path(os.environ.get("FTGUIDE_TOOLENVS", ROOT / ".toolenvs"))
AXOLOTL_BIN = TOOLENVS / "axolotl" / "bin"
TOOLS = ROOT / "tests" / "tools"
STEPS = 3
RUN_TIMEOUT = 420

#: The keys a CPU run has to change, and why.  Nothing else in the rendered file is touched.
CPU_CHANGES: dict[str, object] = {
    # transformers' TrainingArguments refuses bf16 without a bf16 GPU unless use_cpu is set, and Axolotl never
    # passes use_cpu ("Your setup doesn't support bf16/gpu", training_args.py _validate_args): fp32 on a CPU.
    "bf16": False,
    # Axolotl auto-enables its Triton LoRA kernels for lora/qlora; they launch CUDA kernels
    # (kernels/swiglu.py: "Torch not compiled with CUDA enabled").
    "lora_mlp_kernel": False,
    "lora_qkv_kernel": False,
    "lora_o_kernel": False,
}

RUNS = {
    "lora16": {"quant": "none", "dataset_format": "alpaca", "file": "alpaca.jsonl"},
    "qlora4": {"quant": "4bit", "dataset_format": "messages", "file": "messages.jsonl"},
}


def need(path: Path) -> None:
    if path.exists():
        return
    message = f"{path} missing: run ci/toolenvs.sh axolotl"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def tool_env() -> dict[str, str]:
    env = dict(
        os.environ,
        HF_HUB_OFFLINE="1",
        HF_DATASETS_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        AXOLOTL_DO_NOT_TRACK="1",
        DO_NOT_TRACK="1",
        WANDB_MODE="disabled",
        TOKENIZERS_PARALLELISM="false",
        PATH=f"{AXOLOTL_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    env.pop("PYTHONPATH", None)
    return env


def render_yaml(tmp: Path, name: str, run: dict[str, str], model_dir: Path) -> tuple[Path, dict]:
    folder = tmp / name
    done = run_cli(
        "suggest",
        "--examples",
        "200",
        "--model",
        "llama-3.2-1b",
        "--emit",
        "axolotl",
        "--quant",
        run["quant"],
        "--dataset-format",
        run["dataset_format"],
        "--dataset-path",
        str(tmp / "data" / run["file"]),
        "--output-dir",
        str(folder / "out"),
        "-o",
        f"{folder}/",
    )
    assert done.returncode == 0, done.stderr
    rendered = yaml.safe_load((folder / "axolotl.yaml").read_text())
    config = dict(rendered, base_model=str(model_dir), max_steps=STEPS, **CPU_CHANGES)
    config["dataset_prepared_path"] = str(folder / "prepared")
    path = folder / "cpu.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path, rendered


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Both runs, started together (two processes share the CPU), with what each left behind."""
    need(AXOLOTL_BIN / "axolotl")
    tmp = tmp_path_factory.mktemp("axolotl-train")
    env = tool_env()
    model = tmp / "tiny-llama"
    made = subprocess.run(
        [str(AXOLOTL_BIN / "python"), str(TOOLS / "make_tiny_model.py"), str(model), "--family", "llama"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    done = subprocess.run(
        [sys.executable, str(TOOLS / "make_datasets.py"), str(tmp / "data"), "--n", "24"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    procs = {}
    for name, run in RUNS.items():
        path, rendered = render_yaml(tmp, name, run, model)
        log = (tmp / f"{name}.log").open("w")
        start = time.monotonic()
        proc = subprocess.Popen(
            [str(AXOLOTL_BIN / "axolotl"), "train", str(path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=path.parent,
        )
        procs[name] = (proc, log, path, rendered, start)
    results = {}
    for name, (proc, log, path, rendered, start) in procs.items():
        try:
            rc = proc.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        log.close()
        out = Path(rendered["output_dir"])
        results[name] = {
            "rc": rc,
            "log": (tmp / f"{name}.log").read_text(errors="replace"),
            "yaml": path,
            "rendered": rendered,
            "out": out,
            "seconds": round(time.monotonic() - start, 1),
        }
    return results


def lora_b_max(adapter: Path) -> dict[str, float]:
    """Largest |value| of every lora_B tensor in the saved adapter (read with the tool env's safetensors)."""
    code = (
        "import json, sys\n"
        "from safetensors.torch import load_file\n"
        "t = load_file(sys.argv[1])\n"
        "print(json.dumps({k: float(v.abs().max()) for k, v in t.items() if 'lora_B' in k}))\n"
    )
    done = subprocess.run(
        [str(AXOLOTL_BIN / "python"), "-c", code, str(adapter)],
        capture_output=True,
        text=True,
        env=tool_env(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_axolotl_trains_the_rendered_yaml(runs: dict[str, dict], name: str) -> None:
    run = runs[name]
    log = run["log"]
    assert run["rc"] == 0, f"axolotl train exited {run['rc']} after {run['seconds']} s:\n{log[-6000:]}"
    assert "Training completed!" in log and "Model successfully saved" in log
    # logging_steps is 1: one train loss per step, and evaluation ran (eval_on_start plus the rendered eval_steps).
    losses = [float(x) for x in re.findall(r"\{'loss': '([0-9.]+)'", log)]
    assert len(losses) == STEPS, log[-4000:]
    assert all(0 < x < 20 for x in losses)
    assert re.search(r"'eval_loss': '[0-9.]+'", log)
    out = run["out"]
    adapter = json.loads((out / "adapter_config.json").read_text())
    rendered = run["rendered"]
    assert adapter["r"] == rendered["lora_r"] and adapter["lora_alpha"] == rendered["lora_alpha"]
    assert sorted(adapter["target_modules"]) == sorted(rendered["lora_target_modules"])
    moved = lora_b_max(out / "adapter_model.safetensors")
    # 2 layers x 7 target modules; PEFT starts every lora_B at zero, so a non-zero one was trained.
    assert len(moved) == 14 and all(v > 0 for v in moved.values()), moved
    assert (out / f"checkpoint-{STEPS}").is_dir()


def test_qlora_run_was_really_4bit(runs: dict[str, dict]) -> None:
    run = runs["qlora4"]
    assert run["rc"] == 0, run["log"][-4000:]
    assert run["rendered"]["adapter"] == "qlora" and run["rendered"]["load_in_4bit"] is True
    saved = json.loads((run["out"] / "config.json").read_text())
    quant = saved["quantization_config"]
    assert quant["quant_method"] == "bitsandbytes" and quant["load_in_4bit"] and quant["bnb_4bit_quant_type"] == "nf4"
    assert "prepare_model_for_kbit_training" in run["log"]
    assert run["rendered"]["optimizer"] == "adamw_bnb_8bit"


def test_lora16_run_was_unquantized(runs: dict[str, dict]) -> None:
    run = runs["lora16"]
    assert run["rc"] == 0, run["log"][-4000:]
    assert run["rendered"]["adapter"] == "lora" and not run["rendered"]["load_in_4bit"]
    saved = json.loads((run["out"] / "config.json").read_text())
    assert "quantization_config" not in saved
