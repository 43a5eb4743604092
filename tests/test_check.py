"""``ftguide check``: findings from the rule registry plus each target's own pitfalls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "axolotl.yaml").exists())


def findings(*args: str) -> tuple[int, dict]:
    done = run_cli("check", *args, "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("name", ["axolotl.yaml", "train.py", "train_unsloth.py", "suggest.json"])
def test_check_of_suggest_output_finds_nothing(folder: Path, name: str) -> None:
    doc = json.loads((folder / "suggest.json").read_text())
    budget = doc["inputs"]["vram_gib"] or doc["memory"]["budget_gib"]
    args = [str(folder / name), "--examples", str(doc["inputs"]["examples"]), "--vram", str(budget)]
    if doc["inputs"]["gpu"]:
        args += ["--gpu", doc["inputs"]["gpu"]]
    code, report = findings(*args)
    assert report["findings"] == [] and code == 0, report["findings"]
    assert report["memory"]["fits"] is True


BAD_AXOLOTL = {
    "base_model": "meta-llama/Llama-3.1-8B",
    "adapter": "lora",
    "load_in_4bit": True,
    "lora_r": 16,
    "lora_alpha": 4,
    "lora_dropout": 0.3,
    "lora_rank": 8,
    "lora_target_modules": ["q_proj", "v_proj"],
    "datasets": [{"path": "data.jsonl", "type": "sharegpt", "feild": "x"}],
    "sequence_len": 4096,
    "micro_batch_size": 8,
    "gradient_accumulation_steps": 1,
    "num_epochs": 6,
    "learning_rate": 0.001,
    "warmup_ratio": 0.03,
    "warmup_steps": 10,
    "early_stopping_patience": 3,
    "evals_per_epoch": 4,
    "bf16": True,
}


def test_bad_axolotl_config(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(BAD_AXOLOTL))
    code, report = findings(str(path), "--examples", "800", "--gpu", "T4")
    assert code == 1
    by_code = {(f["code"], f["field"]): f for f in report["findings"]}
    assert by_code[("AX001", "lora_rank")]["recommended"] == "lora_r"
    assert ("AX001", "datasets[0].feild") in by_code
    assert ("AX002", "datasets[0].type") in by_code
    assert ("AX003", "adapter") in by_code
    assert ("AX005", "warmup_ratio") in by_code
    assert ("AX006", "early_stopping_patience") in by_code
    assert by_code[("LR001", "learning_rate")]["recommended"] == 2.7e-4
    assert by_code[("TR001", "num_epochs")]["recommended"] == 3
    assert ("LO003", "lora_dropout") in by_code and ("LO005", "lora_alpha") in by_code
    assert ("PR002", "precision") in by_code
    assert ("MM003", "memory") in by_code  # adapter lora + load_in_4bit really loads 16-bit: no fit on a T4


def test_fail_on_levels(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump({**yaml.safe_load((EXAMPLES[0] / "axolotl.yaml").read_text()), "lora_dropout": 0.3}))
    assert run_cli("check", str(path), "--examples", "20000").returncode == 0  # a warning; default fails on error
    assert run_cli("check", str(path), "--examples", "20000", "--fail-on", "warning").returncode == 1
    assert run_cli("check", str(path), "--examples", "20000", "--fail-on", "never").returncode == 0


def test_fix_writes_a_corrected_config(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(BAD_AXOLOTL))
    fixed = tmp_path / "fixed.yaml"
    done = run_cli("check", str(path), "--examples", "800", "--fix", "-o", str(fixed), "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    doc = yaml.safe_load(fixed.read_text())
    assert doc["adapter"] == "qlora" and "warmup_steps" not in doc
    assert doc["learning_rate"] == 2.7e-4 and doc["num_epochs"] == 3 and doc["lora_dropout"] == 0.1
    _, again = findings(str(fixed), "--examples", "800")
    codes = {f["code"] for f in again["findings"]}
    assert not codes & {"AX003", "AX005", "LR001", "TR001", "LO003", "LO005"}


def test_python_script_removed_arguments_and_rules() -> None:
    code, report = findings(str(ROOT / "tests" / "data" / "tutorial_2024.py"), "--examples", "300")
    assert code == 1
    removed = {f["field"] for f in report["findings"] if f["code"] == "PY001"}
    assert removed == {
        "from_pretrained(load_in_4bit=)",
        "from_pretrained(use_auth_token=)",
        "TrainingArguments(warmup_ratio=)",
        "TrainingArguments(evaluation_strategy=)",
        "SFTTrainer(tokenizer=)",
        "SFTTrainer(max_seq_length=)",
        "SFTTrainer(dataset_text_field=)",
    }
    rules = {f["code"] for f in report["findings"] if f["code"] != "PY001"}
    assert {"LR001", "TR001", "TR002", "LO005"} <= rules
    assert report["model"] == "llama-2-7b"


def test_python_script_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "evil.py"
    script.write_text(
        f"open({str(marker)!r}, 'w').write('x')\nfrom transformers import TrainingArguments\n"
        "from peft import LoraConfig\nLoraConfig(r=8)\nTrainingArguments(output_dir='o', learning_rate=5e-1)\n"
    )
    _code, report = findings(str(script), "--model", "7B")
    assert not marker.exists()
    assert any(f["code"] == "LR001" for f in report["findings"])


@pytest.mark.parametrize("content", ["- a\n- b\n", "just text", "{}"])
def test_check_bad_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(content)
    done = run_cli("check", str(path))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_check_missing_file() -> None:
    done = run_cli("check", "/nonexistent.yaml")
    assert done.returncode == 2 and "does not exist" in done.stderr
