"""The run ftguide writes is the run the user asked for: the model named, paths that resolve, launch lines that
name the files written, and the small promises of the command line."""

from __future__ import annotations

import ast
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from test_integration import OFFLINE, TOOLS, TRAIN_PY, need, tool

sys.path.insert(0, str(ROOT / "examples"))
from regenerate import SCENARIOS

TRAINED_AS_TYPED = [
    "meta-llama/Llama-3.1-8B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct",
    "Qwen/Qwen2.5-Coder-7B-Instruct",
    "google/gemma-2-9b-it",
    "Qwen/Qwen3-8B",
    "unsloth/llama-3-8b-Instruct-bnb-4bit",
]


def rendered_model(target: str, model: str) -> str:
    done = run_cli("suggest", "--examples", "500", "--model", model, "--emit", target)
    assert done.returncode == 0, done.stderr
    if target == "axolotl":
        return str(yaml.safe_load(done.stdout)["base_model"])
    from ftguide.render import script_profile

    found = script_profile(ast.parse(done.stdout))
    assert found is not None
    return str(found["base_model"])


@pytest.mark.parametrize("model", TRAINED_AS_TYPED)
@pytest.mark.parametrize("target", ["axolotl", "peft", "unsloth"])
def test_every_target_trains_the_model_the_user_named(target: str, model: str) -> None:
    assert rendered_model(target, model) == model


def test_the_output_says_which_catalog_entry_gave_the_facts() -> None:
    doc = json.loads(run_cli("suggest", "-n", "500", "-m", "google/gemma-2-9b-it", "-f", "json").stdout)
    reason = next(d["reason"] for d in doc["decisions"] if d["field"] == "base_model")
    assert "gemma-2-9b" in reason and doc["memory"]["model"] == "gemma-2-9b"
    assert doc["profile"]["base_model"] == "google/gemma-2-9b-it"


def test_size_classes_and_catalog_names_train_the_entrys_id() -> None:
    doc = json.loads(run_cli("suggest", "-n", "500", "-m", "7B", "-f", "json").stdout)
    assert doc["profile"]["base_model"] == "mistralai/Mistral-7B-v0.3"


def _tiny_config(folder: Path) -> None:
    folder.mkdir(parents=True)
    config = {
        "model_type": "llama",
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "intermediate_size": 128,
        "vocab_size": 800,
    }
    (folder / "config.json").write_text(json.dumps(config))


def test_local_paths_resolve_from_the_o_folder(tmp_path: Path) -> None:
    _tiny_config(tmp_path / "models" / "mine")
    (tmp_path / "chat.jsonl").write_text('{"instruction": "a", "output": "b"}\n')
    done = run_cli(
        "suggest", "-n", "50", "-m", "./models/mine", "--dataset-path", "chat.jsonl", "--emit", "peft",
        "-o", "run/", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    script = (tmp_path / "run" / "train.py").read_text()
    assert "'base_model': '../models/mine'" in script and "'dataset_path': '../chat.jsonl'" in script
    launch = next(line for line in done.stderr.splitlines() if line.startswith("start the run"))
    assert launch == "start the run (in run): python train.py --dataset ../chat.jsonl --output-dir outputs/lora"
    assert (tmp_path / "run" / "../models/mine/config.json").is_file()
    # On stdout the run starts here: paths stay as typed.
    here = run_cli("suggest", "-n", "50", "-m", "./models/mine", "--emit", "axolotl", cwd=tmp_path)
    assert yaml.safe_load(here.stdout)["base_model"] == "models/mine"


def test_launch_line_and_header_name_the_file_written(tmp_path: Path) -> None:
    done = run_cli("suggest", "-n", "500", "-m", "7B", "--emit", "axolotl", "-o", str(tmp_path / "single.yml"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("axolotl train single.yml")
    assert "# Run: axolotl train single.yml" in (tmp_path / "single.yml").read_text()


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_written_files_take_the_mode_the_umask_gives(tmp_path: Path, umask: int) -> None:
    code = (
        f"import os, sys; os.umask({umask}); sys.argv = ['ftguide', '-q', 'suggest', '-n', '500', '-m', '7B', "
        f"'--emit', 'peft', '-o', {str(tmp_path / 'run') + '/'!r}]; from ftguide.cli import main; main()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "run" / "train.py").stat().st_mode & 0o777 == 0o666 & ~umask


def test_quiet_with_emit_and_o_prints_nothing(tmp_path: Path) -> None:
    for args in (("-q", "suggest"), ("suggest", "--quiet")):
        done = run_cli(*args, "-n", "500", "-m", "7B", "--emit", "peft", "-o", str(tmp_path / args[0]) + "/")
        assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


@pytest.mark.parametrize("sharding", ["ddp", "fsdp", "zero2", "zero3", None])
def test_vram_on_several_gpus_works_for_every_engine(sharding: str | None) -> None:
    extra = ("--sharding", sharding) if sharding else ()
    done = run_cli("vram", "--model", "7B", "--gpus", "2", *extra, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["estimated_gib"] > 0


def test_sharding_on_one_gpu_names_the_flag() -> None:
    done = run_cli("vram", "--model", "7B", "--sharding", "zero3")
    assert done.returncode == 2 and "--sharding" in done.stderr and "Traceback" not in done.stderr


def test_version_and_short_help() -> None:
    from ftguide import __version__

    assert run_cli("--version").stdout.strip() == f"ftguide {__version__}"
    assert "Usage" in run_cli("-h").stdout and "Usage" in run_cli("suggest", "-h").stdout


@pytest.mark.parametrize(("typed", "expected"), [("3080", "RTX-3090"), ("4070", "RTX-4080"), ("rtx3070", "RTX-3090")])
def test_gpu_names_people_type_get_close_matches(typed: str, expected: str) -> None:
    done = run_cli("suggest", "-n", "500", "-m", "7B", "--gpu", typed)
    assert done.returncode == 2 and expected in done.stderr and "MI300X" not in done.stderr


def test_emit_sizes_the_run_for_the_targets_memory_path(tmp_path: Path) -> None:
    for target in ("axolotl", "peft", "unsloth"):
        done = run_cli(
            "suggest", "-n", "500", "-m", "7B", "--emit", target, "-o", f"{tmp_path}/{target}/", "-f", "json"
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["memory"]["framework"] == target
    mixed = run_cli("suggest", "-n", "500", "-m", "7B", "--framework", "unsloth", "--emit", "peft")
    assert mixed.returncode == 2 and len(mixed.stderr.strip().splitlines()) == 1 and "--framework" in mixed.stderr


# ------------------------------------------------------------------ every example, run as its launch line says


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need(TRAIN_PY)
    base = tmp_path_factory.mktemp("asked")
    done = tool(TRAIN_PY, str(TOOLS / "make_tiny_model.py"), str(base / "tiny"), "--family", "llama")
    assert done.returncode == 0, done.stderr[-3000:]
    made = subprocess.run(
        [sys.executable, str(TOOLS / "make_datasets.py"), str(base / "data"), "--n", "24"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    return base


def _with_model(flags: str, model: str) -> list[str]:
    args = shlex.split(flags)
    i = args.index("--model")
    args[i + 1] = model
    return args


@pytest.mark.integration
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_example_trains_from_its_o_folder_as_the_launch_line_says(workdir: Path, scenario: str) -> None:
    args = _with_model(SCENARIOS[scenario], "./tiny")
    fmt = args[args.index("--dataset-format") + 1] if "--dataset-format" in args else "alpaca"
    run_dir = f"runs/{scenario}/"
    done = run_cli(
        "suggest", *args, "--dataset-path", f"data/{fmt}.jsonl", "--output-dir", "out",
        "--emit", "peft", "-o", run_dir, "--force", cwd=workdir,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("start the run (in "))
    folder, command = line.removeprefix("start the run (in ").split("): ", 1)
    argv = shlex.split(command)
    assert argv[0] == "python" and Path(workdir, folder, argv[1]).is_file()
    env = dict(os.environ, **OFFLINE)
    ran = subprocess.run(
        [str(TRAIN_PY), *argv[1:], "--max-steps", "2", "--eval-steps", "1"],
        cwd=workdir / folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-4000:]
    assert (workdir / folder / "out" / "adapter_config.json").is_file()
