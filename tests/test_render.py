"""Renderers: every value escaped, every file parsed back, golden examples fresh."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftguide.engine import suggest
from ftguide.models import Profile, Request
from ftguide.render import TARGETS, RenderError, parse_back, render, script_profile, templates_dir

BASE = suggest(Request(examples=800, model="7B", vram_gib=12)).profile


def with_(**changes: object) -> Profile:
    data = BASE.model_dump()
    data.update(changes)
    return Profile.model_validate(data)


def test_every_template_expression_goes_through_one_filter() -> None:
    allowed = {"py", "yaml", "comment"}
    for path in templates_dir().glob("*.j2"):
        for expr in re.findall(r"{{(.*?)}}", path.read_text(), flags=re.S):
            filters = [part.strip().split("(")[0] for part in expr.split("|")[1:]]
            escaping = [f for f in filters if f in allowed]
            assert len(escaping) == 1 and filters[-1] in allowed, f"{path.name}: {{{{{expr}}}}}"
            if path.name.endswith(".py.j2") or path.name == "_data.py.j2":
                assert filters[-1] in ("py", "comment"), f"{path.name}: {expr}"
            else:
                assert filters[-1] in ("yaml", "comment"), f"{path.name}: {expr}"


HOSTILE = [
    "meta-llama/Llama-3.1-8B",
    'it\'s "quoted"',
    "line\nbreak: injected: true",
    "{{ 7 * 7 }} {% raw %}",
    "# not a comment",
    "- item\n- list",
    "yes",
    "null",
    "2e-05",
    "a: b",
    "'; import os; os.system('x') #",
    '"""; import os #',
    "ünïcødé ✓ 模型",
    "tab\there\r\n\x0b",
    "C:\\path\\to\\data.jsonl",
    "&anchor *alias !!python/object",
    "nel\x85line\u2028sep\u2029par\ufeffbom",
]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_round_trip(target: str, text: str) -> None:
    profile = with_(base_model=text, dataset_path=text + ".jsonl", output_dir=text)
    rendered = render(profile, target)  # parse_back inside raises on any mismatch
    _assert_carried(rendered, target, profile)


def _assert_carried(rendered: str, target: str, profile: Profile) -> None:
    if target == "axolotl":
        doc = yaml.safe_load(rendered)
        assert doc["base_model"] == profile.base_model
        assert doc["output_dir"] == profile.output_dir
        assert doc["datasets"][0]["path"] == profile.dataset_path
        known = {
            "base_model",
            "model_type",
            "tokenizer_type",
            "adapter",
            "load_in_4bit",
            "load_in_8bit",
            "lora_r",
            "lora_alpha",
            "lora_dropout",
            "lora_target_modules",
            "datasets",
            "chat_template",
            "val_set_size",
            "output_dir",
            "sequence_len",
            "sample_packing",
            "eval_sample_packing",
            "excess_length_strategy",
            "train_on_inputs",
            "attn_implementation",
            "micro_batch_size",
            "gradient_accumulation_steps",
            "num_epochs",
            "learning_rate",
            "lr_scheduler",
            "warmup_ratio",
            "optimizer",
            "weight_decay",
            "max_grad_norm",
            "bf16",
            "fp16",
            "gradient_checkpointing",
            "gradient_checkpointing_kwargs",
            "eval_steps",
            "save_steps",
            "save_total_limit",
            "early_stopping_patience",
            "load_best_model_at_end",
            "metric_for_best_model",
            "greater_is_better",
            "logging_steps",
            "seed",
        }
        assert set(doc) <= known, set(doc) - known
    else:
        tree = ast.parse(rendered)
        found = script_profile(tree)
        assert found is not None
        assert found["base_model"] == profile.base_model
        assert found["output_dir"] == profile.output_dir
        top = {type(node).__name__ for node in tree.body}
        assert top <= {"Expr", "Import", "ImportFrom", "Assign", "FunctionDef", "ClassDef", "If"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=80).filter(lambda s: s.strip() != ""), target=st.sampled_from(TARGETS))
def test_arbitrary_strings_round_trip(text: str, target: str) -> None:
    profile = with_(base_model=text, dataset_path=text, output_dir=text)
    _assert_carried(render(profile, target), target, profile)


@pytest.mark.parametrize("target", TARGETS)
def test_parse_back_catches_a_tampered_file(target: str) -> None:
    text = render(BASE, target)
    if target == "axolotl":
        tampered = text.replace("lora_r: 16", "lora_r: 17")
    else:
        tampered = text.replace("'lora_r': 16", "'lora_r': 17")
    assert tampered != text
    with pytest.raises(RenderError):
        parse_back(tampered, target, BASE)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("quant", ["4bit", "8bit", "none"])
@pytest.mark.parametrize("fmt", ["alpaca", "messages", "prompt_completion", "text", "sharegpt"])
def test_every_target_quant_and_dataset_format_renders(target: str, quant: str, fmt: str) -> None:
    render(with_(quantization=quant, dataset_format=fmt), target)


def test_constant_schedule_with_warmup_is_rendered_with_warmup() -> None:
    text = render(with_(lr_scheduler="constant", warmup_ratio=0.1), "axolotl")
    assert yaml.safe_load(text)["lr_scheduler"] == "constant_with_warmup"


def test_scripts_compile() -> None:
    for target in ("peft", "unsloth"):
        compile(render(BASE, target), f"<{target}>", "exec")


def test_examples_are_fresh(root: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(root / "examples" / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, "examples are stale; run python examples/regenerate.py\n" + done.stderr


def test_examples_cover_the_scenarios(root: Path) -> None:
    folders = [p for p in (root / "examples").iterdir() if p.is_dir() and (p / "axolotl.yaml").exists()]
    assert len(folders) >= 6
    multi = root / "examples" / "large-70b-4xa100-fsdp"
    assert {p.name for p in (multi / "peft").iterdir()} == {"train.py", "accelerate_config.yaml"}
    for folder in folders:
        assert {p.name for p in folder.iterdir()} >= {
            "axolotl.yaml",
            "train.py",
            "train_unsloth.py",
            "suggest.json",
            "command.txt",
        }


def test_templates_ship_inside_the_wheel(tmp_path: Path, root: Path) -> None:
    """Render from a built wheel, not the checkout: the templates must travel with the package."""
    import zipfile

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:  # hatchling not in this environment: build with isolation (needs the index)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("ftguide-*.whl"))
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    assert sorted(p.name for p in (unpacked / "ftguide" / "templates").glob("*.j2")) == [
        "_args.py.j2",
        "_data.py.j2",
        "axolotl.yaml.j2",
        "peft.py.j2",
        "unsloth.py.j2",
    ]
    assert (unpacked / "ftguide" / "data" / "memory_calibration.json").exists()
    code = (
        "import ftguide.render as r; from ftguide.engine import suggest; from ftguide.models import Request; "
        "print(r.templates_dir()); print(r.render(suggest(Request(examples=800, model='7B')).profile, 'peft')"
        "[:20])"
    )
    import os

    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(unpacked)},
    )
    assert run.returncode == 0, run.stderr
    assert str(unpacked) in run.stdout.splitlines()[0]
