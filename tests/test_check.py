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


# ------------------------------------------------------------------------------ several files, CI formats

CORPUS = ROOT / "tests" / "data" / "axolotl_examples" / "examples"
LLAMA_FACTORY = """\
model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct
stage: sft
do_train: true
finetuning_type: lora
lora_target: all
dataset: identity
template: llama3
cutoff_len: 2048
per_device_train_batch_size: 1
learning_rate: 1.0e-4
"""
CLI_SCRIPT = """\
from transformers import HfArgumentParser
from trl import ModelConfig, ScriptArguments, SFTConfig, SFTTrainer, TrlParser

parser = TrlParser((ScriptArguments, SFTConfig, ModelConfig))
script_args, training_args, model_args = parser.parse_args_and_config()
trainer = SFTTrainer(model=model_args.model_name_or_path, args=training_args, train_dataset=None)
trainer.train()
"""


def test_several_files_give_one_document_one_summary_one_exit_code(tmp_path: Path) -> None:
    clean = EXAMPLES[0] / "axolotl.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(BAD_AXOLOTL))
    other = tmp_path / "llamafactory.yaml"
    other.write_text(LLAMA_FACTORY)
    done = run_cli("check", str(clean), str(bad), str(other), "--format", "json")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert [f["file"] for f in doc["files"]] == [str(clean), str(bad), str(other)]
    assert doc["files"][2]["kind"] == "unknown" and "LLaMA-Factory" in doc["files"][2]["reason"]
    assert doc["summary"]["files"] == 3 and doc["summary"]["checked"] == 2 and doc["summary"]["not_checked"] == 1
    assert doc["summary"]["with_errors"] == 1 and doc["exit_code"] == 1
    import jsonschema

    jsonschema.validate(doc, json.loads(run_cli("schema", "check").stdout))
    assert run_cli("check", str(clean), str(other)).returncode == 0  # the unknown file is listed, not fatal
    table = run_cli("check", str(clean), str(bad))
    assert table.returncode == 1 and "2 files: 2 checked" in table.stdout


def test_unknown_formats_are_refused_with_exit_2(tmp_path: Path) -> None:
    factory = tmp_path / "llama3_lora_sft.yaml"
    factory.write_text(LLAMA_FACTORY)
    script = tmp_path / "sft.py"
    script.write_text(CLI_SCRIPT)
    for path, words in ((factory, "LLaMA-Factory"), (script, "command line")):
        done = run_cli("check", str(path))
        assert done.returncode == 2 and done.stdout == "", done
        assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert run_cli("check", str(factory), str(script), "--format", "json").returncode == 2  # nothing checkable


def test_github_annotations_point_at_the_key(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(
        "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nmicro_batch_size: 2\nlearning_rate: 0.0002\n"
        "datasets:\n  - path: x\n    type: alpaca\n    feild: y\nlora_rank: 8\n"
    )
    done = run_cli("check", str(path), "--format", "github")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert f"::error file={path},line=9,title=AX001 unknown-axolotl-key::lora_rank: " in "\n".join(lines)
    assert any(ln.startswith(f"::error file={path},line=8,") and "datasets[0].feild" in ln for ln in lines)
    assert lines[-1].startswith("ftguide check: 1 files, 1 checked") and lines[-1].endswith("exit 1")


def test_sarif_log(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text("base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nload_in_4bit: true\nlearning_rate: 2e-4\n")
    done = run_cli("check", str(path), "--format", "sarif")
    log = json.loads(done.stdout)
    assert log["version"] == "2.1.0" and done.returncode == 1
    run = log["runs"][0]
    rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
    hit = next(r for r in run["results"] if r["ruleId"] == "AX003")
    assert hit["level"] == "error" and "AX003" in rules
    location = hit["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == path.as_posix() and location["region"]["startLine"] == 2


def test_bad_format_value_is_bad_input() -> None:
    done = run_cli("check", str(EXAMPLES[0] / "axolotl.yaml"), "--format", "xml")
    assert done.returncode == 2 and "--format" in done.stderr


# ------------------------------------------------------------------------------------------------ --fix

COMMENTED = """\
# my run
base_model: meta-llama/Llama-3.1-8B  # the base
adapter: qlora
micro_batch_size: 2
lora_rank: 8   # rank
lora_alpha: 16
learning_rate: 0.0002
datasets:
  - path: data.jsonl
    type: alpaca
warmup_steps: 0.1
"""


def test_fix_renames_keeps_values_types_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(COMMENTED)
    fixed = tmp_path / "fixed.yaml"
    done = run_cli("check", str(path), "--fix", "-o", str(fixed), "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    text = fixed.read_text()
    doc = yaml.safe_load(text)
    assert doc["load_in_4bit"] is True  # a typed value, never "4bit"
    assert doc["lora_r"] == 8 and "lora_rank" not in doc  # renamed, value kept
    assert doc["warmup_ratio"] == 0.1 and "warmup_steps" not in doc
    assert "# my run" in text and "# the base" in text
    assert next(ln for ln in text.splitlines() if ln.startswith("lora_r:")).split() == ["lora_r:", "8", "#", "rank"]
    assert list(doc)[:5] == ["base_model", "adapter", "micro_batch_size", "lora_r", "lora_alpha"]
    assert "renamed lora_rank -> lora_r" in done.stderr and "set load_in_4bit: true" in done.stderr
    again = findings(str(fixed))[1]
    assert not [f for f in again["findings"] if f["severity"] == "error"]


def test_fix_takes_one_file() -> None:
    one = str(EXAMPLES[0] / "axolotl.yaml")
    done = run_cli("check", one, one, "--fix", "-o", "/tmp/never-written.yaml")
    assert done.returncode == 2 and "one FILE" in done.stderr


# --------------------------------------------------------------------------------------- purpose, memory


def test_full_fine_tune_is_priced_as_one(tmp_path: Path) -> None:
    path = CORPUS / "llama-3" / "fft-8b.yaml"  # Llama-3.1-8B, paged_adamw_8bit
    code, report = findings(str(path), "--vram", "80")
    memory = report["memory"]
    assert memory["method"].startswith("full fine-tune")
    parts = memory["breakdown"]
    assert parts["base_weights"] == parts["gradients"] > 14  # 8.0B parameters x 2 bytes
    assert parts["optimizer_states"] == pytest.approx(parts["base_weights"] * (2 + 8 / 256) / 2, abs=0.02)
    assert memory["estimated_gib"] > 45  # not a LoRA adapter's few GiB
    assert not {f["code"] for f in report["findings"]} & {"LR001", "LO003", "LO005", "LO006", "LO007"}
    assert any(f["code"] == "CK001" and f["field"] == "LoRA rules" for f in report["findings"])
    assert code == 0 and any(f["code"] == "MM003" for f in findings(str(path), "--vram", "40")[1]["findings"])
    adamw = tmp_path / "fft-adamw.yaml"
    adamw.write_text(path.read_text().replace("optimizer: paged_adamw_8bit", "optimizer: adamw_torch_fused"))
    parts = findings(str(adamw), "--vram", "80")[1]["memory"]["breakdown"]
    assert parts["optimizer_states"] == pytest.approx(2 * parts["base_weights"], abs=0.02)  # two bf16 moments


def test_sharded_full_fine_tune_is_not_estimated_and_says_so() -> None:
    path = CORPUS / "llama-3" / "fft-8b-liger-fsdp.yaml"
    _, report = findings(str(path), "--vram", "80")
    assert report["memory"] is None
    assert any(f["code"] == "CK001" and f["field"] == "memory" for f in report["findings"])


# ---------------------------------------------------------------------------------------------- scripts

UNSLOTH_NOTEBOOK = """\
from unsloth import FastLanguageModel, is_bfloat16_supported
from trl import SFTTrainer
from transformers import TrainingArguments

model, tokenizer = FastLanguageModel.from_pretrained(model_name="unsloth/Meta-Llama-3.1-8B", max_seq_length=2048,
                                                     load_in_4bit=True)
model = FastLanguageModel.get_peft_model(model, r=16, lora_alpha=16, lora_dropout=0,
                                         target_modules=["q_proj", "k_proj", "v_proj", "o_proj"])
trainer = SFTTrainer(
    model=model, tokenizer=tokenizer, train_dataset=dataset, dataset_text_field="text", max_seq_length=2048,
    packing=False,
    args=TrainingArguments(per_device_train_batch_size=2, gradient_accumulation_steps=4, warmup_steps=5,
                           max_steps=60, learning_rate=2e-4, fp16=not is_bfloat16_supported(),
                           bf16=is_bfloat16_supported(), optim="adamw_8bit", output_dir="outputs"),
)
"""


def test_unsloth_script_is_judged_against_unsloths_wrapper(tmp_path: Path) -> None:
    script = tmp_path / "notebook.py"
    script.write_text(UNSLOTH_NOTEBOOK)
    _, report = findings(str(script))
    assert report["model"] == "llama-3.1-8b"
    assert not [f for f in report["findings"] if f["code"] in ("PY001", "PY002")], report["findings"]
    plain = tmp_path / "plain.py"
    plain.write_text(UNSLOTH_NOTEBOOK.replace("from unsloth import FastLanguageModel, is_bfloat16_supported\n", ""))
    removed = {f["field"] for f in findings(str(plain))[1]["findings"] if f["code"] == "PY001"}
    assert removed == {f"SFTTrainer({k}=)" for k in ("tokenizer", "dataset_text_field", "max_seq_length", "packing")}


def test_fp16_with_bf16_is_caught(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text(
        UNSLOTH_NOTEBOOK.replace("fp16=not is_bfloat16_supported()", "fp16=True").replace(
            "bf16=is_bfloat16_supported()", "bf16=True"
        )
    )
    code, report = findings(str(script))
    hit = next(f for f in report["findings"] if f["code"] == "PY002")
    assert code == 1 and hit["field"] == "TrainingArguments(bf16=)" and hit["severity"] == "error"


@pytest.mark.integration
def test_script_rules_match_the_pinned_libraries() -> None:
    """PY001's removed arguments are absent from the pinned transformers / TRL, PY002's pairs raise there.

    Read from the train tool env's sources (``ast``, no import): TrainingArguments' and SFTConfig's fields,
    SFTTrainer.__init__'s parameters, and the ValueError each exclusive pair triggers.
    """
    import ast
    import os

    from conftest import in_ci

    from ftguide.rules.scripts import EXCLUSIVE, REMOVED

    toolenvs = Path(os.environ.get("FTGUIDE_TOOLENVS", ROOT / ".toolenvs"))
    found = sorted((toolenvs / "train" / "lib").glob("python*/site-packages"))
    if not found:
        if in_ci():
            pytest.fail("train tool env missing: run ci/toolenvs.sh")
        pytest.skip("train tool env missing: run ci/toolenvs.sh")
    site = found[0]

    def fields(path: Path, cls: str) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        node = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls)
        return {s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}

    def params(path: Path, cls: str) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        node = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == cls)
        init = next(f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
        return {a.arg for a in init.args.args + init.args.kwonlyargs}

    args = fields(site / "transformers" / "training_args.py", "TrainingArguments")
    sft_config = fields(site / "trl" / "trainer" / "sft_config.py", "SFTConfig")
    trainer = params(site / "trl" / "trainer" / "sft_trainer.py", "SFTTrainer")
    assert {"learning_rate", "bf16", "fp16", "warmup_steps"} <= args and {"max_length", "packing"} <= sft_config
    for (group, keyword), _ in REMOVED.items():
        if group == "args":
            assert keyword not in args | sft_config, keyword
        elif group == "trainer":
            assert keyword not in trainer, keyword
    sources = {
        "args": (site / "transformers" / "training_args.py").read_text(encoding="utf-8"),
        "bnb": (site / "transformers" / "utils" / "quantization_config.py").read_text(encoding="utf-8"),
    }
    for group, a, b in EXCLUSIVE:
        assert f"{a} and {b}" in sources[group], (group, a, b)


def test_pre_commit_hook_runs_one_check_over_the_files_it_matches(tmp_path: Path) -> None:
    import re
    import shlex

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "ftguide-check")
    assert {"id", "name", "entry", "language"} <= set(hook) and hook["require_serial"] is True
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def matched(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    for path in ("configs/qlora.yml", "train.py", "examples/x/axolotl.yaml", "runs/llama3-dpo.yaml"):
        assert matched(path), path
    for path in (".pre-commit-config.yaml", ".github/workflows/ci.yml", "peft/accelerate_config.yaml", "src/app.py"):
        assert not matched(path), path
    repo = [p for p in sorted((ROOT / "examples").rglob("*")) if matched(p.relative_to(ROOT).as_posix())]
    assert len(repo) >= 12 and {p.suffix for p in repo} == {".yaml", ".py"}
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["ftguide", "check"]
    done = run_cli(*entry[1:], *map(str, repo))
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.strip().splitlines()[-1].startswith(f"{len(repo)} files: {len(repo)} checked")
    bad = tmp_path / "train_config.yaml"
    bad.write_text(yaml.safe_dump(BAD_AXOLOTL))
    assert matched(bad.name) and run_cli(*entry[1:], *map(str, repo), str(bad)).returncode == 1


def test_rl_memory_by_method() -> None:
    """DPO prices chosen and rejected rows and, in a full fine-tune, the frozen reference; GRPO-like: not estimated."""
    _, dpo = findings(str(CORPUS / "qwen2" / "dpo.yaml"), "--vram", "24")  # full fine-tune DPO, micro-batch 2
    assert "reference_model" in dpo["memory"]["breakdown"]
    assert any(f["code"] == "CK001" and "chosen and rejected" in f["message"] for f in dpo["findings"])
    _, gdpo = findings(str(CORPUS / "llama-3" / "qlora-1b-gdpo.yaml"), "--vram", "24")
    assert gdpo["memory"] is None
    assert any(f["code"] == "CK001" and f["field"] == "memory" for f in gdpo["findings"])


def test_lora_target_linear_beside_listed_names_is_judged_as_every_linear_layer(tmp_path: Path) -> None:
    """Axolotl adapts every linear layer and adds the listed names (PEFT ignores one no module has while others
    match), so a gate_proj listed for Apertus, which has none, is no error beside lora_target_linear."""
    doc = {
        "base_model": "swiss-ai/Apertus-8B-Instruct-2509",
        "adapter": "lora",
        "lora_r": 16,
        "lora_alpha": 32,
        "lora_target_linear": True,
        "lora_target_modules": ["gate_proj", "up_proj", "down_proj", "q_proj", "v_proj"],
        "datasets": [{"path": "data.jsonl", "type": "alpaca"}],
        "sequence_len": 2048,
        "micro_batch_size": 2,
        "gradient_accumulation_steps": 4,
        "learning_rate": 0.0002,
        "num_epochs": 1,
        "bf16": True,
    }
    config = tmp_path / "apertus.yaml"
    config.write_text(yaml.safe_dump(doc), encoding="utf-8")
    listed = run_cli("check", str(config), "--format", "json")
    codes = [f["code"] for f in json.loads(listed.stdout)["findings"]]
    assert "LO007" not in codes and "CK001" in codes, listed.stdout
    del doc["lora_target_linear"]
    config.write_text(yaml.safe_dump(doc), encoding="utf-8")
    alone = run_cli("check", str(config), "--format", "json")
    assert "LO007" in [f["code"] for f in json.loads(alone.stdout)["findings"]], alone.stdout
