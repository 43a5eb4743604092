"""The command line through a real subprocess: documents, bad input, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import run_cli

PROFILE_FIELDS = {
    "base_model",
    "learning_rate",
    "num_epochs",
    "batch_size",
    "gradient_accumulation_steps",
    "effective_batch_size",
    "lora_r",
    "lora_alpha",
    "lora_dropout",
    "target_modules",
    "warmup_ratio",
    "lr_scheduler",
    "max_seq_length",
    "quantization",
    "gradient_checkpointing",
    "optimizer",
    "precision",
    "early_stopping_patience",
}
MAIN = ("suggest", "--examples", "800", "--model", "7B", "--vram", "12")


def test_json_document_shape() -> None:
    done = run_cli(*MAIN, "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert list(doc) == [
        "schema_version",
        "command",
        "inputs",
        "profile",
        "memory",
        "schedule",
        "decisions",
        "warnings",
    ]
    assert doc["command"] == "suggest"
    assert {"total_steps", "tokens", "estimated_hours"} <= set(doc["schedule"])
    assert {"low", "high"} <= set(doc["schedule"]["estimated_hours"])
    assert set(doc["profile"]) >= PROFILE_FIELDS
    assert doc["profile"]["quantization"] in ("4bit", "8bit", "none")
    assert doc["profile"]["precision"] in ("bf16", "fp16")
    assert {"estimated_gib", "budget_gib", "fits"} <= set(doc["memory"])
    assert doc["memory"]["fits"] is True and doc["memory"]["budget_gib"] == 12
    for decision in doc["decisions"]:
        assert set(decision) == {"field", "value", "rule", "reason"}
    assert {d["field"] for d in doc["decisions"]} >= PROFILE_FIELDS


def test_yaml_document_is_the_json_document() -> None:
    as_json = json.loads(run_cli(*MAIN, "--format", "json").stdout)
    as_yaml = yaml.safe_load(run_cli(*MAIN, "--format", "yaml").stdout)
    assert as_json == as_yaml


def test_table_goes_to_stdout_and_nothing_to_stderr() -> None:
    done = run_cli(*MAIN)
    assert done.returncode == 0
    assert "learning_rate" in done.stdout and "GiB" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("fmt", ["json", "yaml", "table"])
def test_same_input_same_bytes(fmt: str) -> None:
    assert run_cli(*MAIN, "--format", fmt).stdout == run_cli(*MAIN, "--format", fmt).stdout


@pytest.mark.parametrize("target", ["axolotl", "peft", "unsloth"])
def test_emit_is_deterministic_and_matches_render_of_the_json(target: str) -> None:
    first = run_cli(*MAIN, "--emit", target)
    assert first.returncode == 0, first.stderr
    assert first.stdout == run_cli(*MAIN, "--emit", target).stdout
    doc = run_cli(*MAIN, "--framework", target, "--format", "json").stdout
    piped = run_cli("render", "--target", target, "-", stdin=doc)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == first.stdout


def test_render_a_hand_edited_yaml_profile(tmp_path: Path) -> None:
    doc = json.loads(run_cli(*MAIN, "--format", "json").stdout)
    profile = doc["profile"] | {"lora_r": 64, "lora_alpha": 128}
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(profile))
    done = run_cli("render", "--target", "axolotl", str(path))
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load(done.stdout)["lora_r"] == 64


def test_output_file_written_atomically_and_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "train.py"
    done = run_cli(*MAIN, "--emit", "peft", "-o", str(target), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("#!/usr/bin/env python3")
    assert json.loads(done.stdout)["profile"]["lora_r"] == 16
    again = run_cli(*MAIN, "--emit", "peft", "-o", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    assert run_cli(*MAIN, "--emit", "peft", "-o", str(target), "--force").returncode == 0
    assert [p.name for p in target.parent.iterdir()] == ["train.py"]  # no temp files left behind
    folder = run_cli(*MAIN, "--emit", "axolotl", "-o", str(tmp_path))
    assert folder.returncode == 0 and (tmp_path / "axolotl.yaml").exists()


BAD_INPUTS = [
    (("suggest", "--examples", "-5", "--model", "7B"), "--examples"),
    (("suggest", "--examples", "0", "--model", "7B"), "--examples"),
    (("suggest", "--examples", "abc", "--model", "7B"), "--examples"),
    (("suggest", "--examples", "800", "--model", "7B", "--vram", "0"), "--vram"),
    (("suggest", "--examples", "800", "--model", "7B", "--vram", "abc"), "--vram"),
    (("suggest", "--examples", "800", "--model", "7B", "--vram", "nan"), "--vram"),
    (("suggest", "--examples", "800", "--model", "7B", "--vram", "inf"), "--vram"),
    (("suggest", "--examples", "800", "--model", "banana"), "--model"),
    (("suggest", "--examples", "800", "--model", ""), "--model"),
    (("suggest", "--examples", "800", "--model", "7B", "--gpu", "GTX-9999"), "--gpu"),
    (("suggest", "--examples", "800", "--model", "7B", "--quant", "3bit"), "--quant"),
    (("suggest", "--examples", "800", "--model", "7B", "--lora-dropout", "1.5"), "--lora-dropout"),
    (("suggest", "--examples", "800", "--model", "7B", "--target-modules", "q_proj,nope"), "--target-modules"),
    (("suggest", "--examples", "800", "--model", "70B", "--vram", "8"), "--vram"),
    (("suggest", "--examples", "800"), "--model"),
    (("suggest", "--examples", "800", "--model", "7B", "--bogus"), "--bogus"),
    (("render", "--target", "peft", "/nonexistent/profile.json"), "PROFILE"),
    (("render", "--target", "banana", "x.json"), "--target"),
]


@pytest.mark.parametrize(("args", "names"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_2(args: tuple[str, ...], names: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert names in lines[0]


@pytest.mark.parametrize(
    "content",
    ["", "{not json", "- just\n- a list\n", "profile: {lora_r: -3}", "\x00\x01binary", "lora_r: [1, 2"],
)
def test_malformed_profile_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content)
    done = run_cli("render", "--target", "peft", str(path))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "PROFILE" in done.stderr
    assert done.stdout == ""


def test_render_of_empty_stdin_is_bad_input() -> None:
    done = run_cli("render", "--target", "peft", "-", stdin="")
    assert done.returncode == 2 and "PROFILE" in done.stderr


def test_no_fit_names_minimum_and_largest_model() -> None:
    done = run_cli("suggest", "--examples", "800", "--model", "70B", "--vram", "8")
    assert "needs at least" in done.stderr and "largest catalog model that fits" in done.stderr


@pytest.mark.parametrize("command", ["suggest", "vram", "check", "diagnose"])
def test_schema_is_committed_and_current(root: Path, command: str) -> None:
    done = run_cli("schema", command)
    assert done.returncode == 0
    committed = root / "schema" / f"{command}.schema.json"
    assert committed.read_text() == done.stdout, f"run: ftguide schema {command} > schema/{command}.schema.json"
    if command == "suggest":
        assert run_cli("schema").stdout == done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("vram", "--model", "7B", "--format", "json"),
        ("check", "{profile}", "--format", "json"),
        ("diagnose", "--symptom", "oom", "--format", "json"),
        (*MAIN, "--format", "json"),
    ],
)
def test_every_json_document_has_the_envelope_and_matches_its_schema(tmp_path: Path, args: tuple[str, ...]) -> None:
    import jsonschema

    profile = tmp_path / "p.json"
    profile.write_text(run_cli(*MAIN, "--format", "json").stdout)
    done = run_cli(*(a.replace("{profile}", str(profile)) for a in args))
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    assert list(doc)[:2] == ["schema_version", "command"] and doc["command"] == args[0]
    jsonschema.validate(doc, json.loads(run_cli("schema", args[0]).stdout))


def test_rules_list_and_one_rule() -> None:
    listing = run_cli("rules")
    assert listing.returncode == 0 and "DS001" in listing.stdout and "LR001" in listing.stdout
    one = run_cli("rules", "LR001")
    assert "13B" in one.stdout and "Why" in one.stdout
    assert run_cli("rules", "ZZ999").returncode == 2


def test_vram_json_and_breakdown() -> None:
    done = run_cli(
        "vram", "--model", "llama-3.1-8b", "--batch-size", "4", "--seq-len", "2048", "--vram", "24", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {"estimated_gib", "breakdown", "budget_gib", "fits"} <= set(doc)
    assert abs(sum(doc["breakdown"].values()) - doc["estimated_gib"]) < 0.02
    bigger = json.loads(
        run_cli("vram", "--model", "llama-3.1-8b", "--batch-size", "8", "--seq-len", "2048", "--format", "json").stdout
    )
    assert bigger["estimated_gib"] > doc["estimated_gib"] and bigger["fits"] is None


def test_vram_matches_suggest_memory_section() -> None:
    doc = json.loads(run_cli(*MAIN, "--format", "json").stdout)
    p = doc["profile"]
    args = [
        "vram",
        "--model",
        "7B",
        "--quant",
        p["quantization"],
        "--lora-r",
        str(p["lora_r"]),
        "--lora-dropout",
        str(p["lora_dropout"]),
        "--target-modules",
        ",".join(p["target_modules"]),
        "--batch-size",
        str(p["batch_size"]),
        "--seq-len",
        str(p["max_seq_length"]),
        "--optimizer",
        p["optimizer"],
        "--vram",
        "12",
        "--format",
        "json",
        "--gradient-checkpointing" if p["gradient_checkpointing"] else "--no-gradient-checkpointing",
    ]
    vram = json.loads(run_cli(*args).stdout)
    assert vram["estimated_gib"] == doc["memory"]["estimated_gib"]
    assert vram["breakdown"] == doc["memory"]["breakdown"]


def test_vram_table_has_a_bar() -> None:
    done = run_cli("vram", "--model", "7B", "--vram", "12")
    assert done.returncode == 0 and "█" in done.stdout and "/ 12 GiB" in done.stdout


def test_explain_traces_every_value_to_a_rule_and_its_table() -> None:
    done = run_cli(*MAIN, "--lr", "5e-4", "--explain", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    fields = {e["field"] for e in doc["trace"]}
    assert fields >= PROFILE_FIELDS
    lr = [e for e in doc["trace"] if e["field"] == "learning_rate"]
    assert [e["rule"] for e in lr] == ["USER", "LR001"] and lr[1]["step"] == "kept (warning)"
    batch = [e["rule"] for e in doc["trace"] if e["field"] == "batch_size"]
    assert batch[0] == "DS001" and batch[-1] == "MM002"
    assert "500-5000" in doc["rules"]["DS001"]["table"]
    table = run_cli(*MAIN, "--explain")
    assert table.returncode == 0 and "Guide tables" in table.stdout


def test_dataset_feeds_count_format_and_sequence_length(tmp_path: Path) -> None:
    rows = [
        {"messages": [{"role": "user", "content": "hi " * 50}, {"role": "assistant", "content": "yo " * 300}]}
        for _ in range(700)
    ]
    data = tmp_path / "chat.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    done = run_cli("suggest", "--model", "8B", "--dataset", str(data), "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["inputs"]["examples"] == 700
    assert doc["profile"]["dataset_format"] == "messages" and doc["profile"]["dataset_path"] == str(data)
    assert doc["profile"]["max_seq_length"] == 512  # p95 of ~350 estimated tokens, rounded up
    assert [d["rule"] for d in doc["decisions"] if d["field"] == "max_seq_length"] == ["DS003"]
    assert "1 bad row" in done.stderr and "line 701" in done.stderr
    assert doc["inputs"]["dataset_stats"]["bad_rows"] == 1
    axolotl = run_cli("suggest", "--model", "8B", "--dataset", str(data), "--emit", "axolotl")
    assert yaml.safe_load(axolotl.stdout)["datasets"][0]["type"] == "chat_template"


def test_missing_examples_and_dataset_is_bad_input() -> None:
    done = run_cli("suggest", "--model", "7B")
    assert done.returncode == 2 and "--examples" in done.stderr


LOGS = Path(__file__).resolve().parent / "data" / "logs"


@pytest.mark.parametrize(
    ("log", "symptom"),
    [
        ("overfitting_trainer_state.json", "overfitting"),
        ("nan.log", "loss-nan"),
        ("flat_trainer_state.json", "loss-flat"),
        ("diverging_trainer_state.json", "loss-nan"),
    ],
)
def test_diagnose_real_logs_through_the_cli(log: str, symptom: str) -> None:
    done = run_cli("diagnose", "--log", str(LOGS / log), "--profile", str(ROOT_EXAMPLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["symptoms"][0]["symptom"] == symptom and doc["source"] == "log"
    assert all(c["reason"] for c in doc["changes"]) and doc["changes"]
    assert any(c["current"] is not None for c in doc["changes"])  # concrete values from the profile


def test_diagnose_healthy_log_finds_nothing_and_symptom_alone_works() -> None:
    healthy = run_cli("diagnose", "--log", str(LOGS / "healthy_trainer_state.json"), "--format", "json")
    assert json.loads(healthy.stdout)["symptoms"] == []
    oom = json.loads(run_cli("diagnose", "--symptom", "oom", "--profile", str(ROOT_EXAMPLE), "--format", "json").stdout)
    fields = [c["field"] for c in oom["changes"]]
    # The example is a 4-bit profile with the fp32 upcast on: the fitter's cheapest lever comes first.
    assert fields[0] == "embeddings_upcast" and oom["changes"][0]["recommended"] is False
    assert fields[-1] == "gpu"
    assert run_cli("diagnose").returncode == 2
    assert run_cli("diagnose", "--symptom", "slow").returncode == 2


ROOT_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "medium-7b-12gb" / "suggest.json"


def test_emit_unsloth_says_when_its_memory_estimate_is_least_certain() -> None:
    """FastModel families (here OLMo-3) get one note on stderr; the fast path (Llama) none; stdout is the script."""
    base = ("suggest", "--examples", "800", "--vram", "24", "--emit", "unsloth")
    fast_model = run_cli(*base, "--model", "olmo-3-7b")
    assert fast_model.returncode == 0, fast_model.stderr
    notes = [line for line in fast_model.stderr.splitlines() if line.startswith("ftguide: note:")]
    assert len(notes) == 1 and "FastModel" in notes[0] and "16%" in notes[0]
    assert "FastModel" not in fast_model.stdout and fast_model.stdout.startswith("#!")
    fast_path = run_cli(*base, "--model", "llama-3.1-8b")
    assert fast_path.returncode == 0 and "ftguide: note:" not in fast_path.stderr


def test_a_config_of_a_family_without_a_record_is_priced_with_a_note(tmp_path: Path) -> None:
    """A config.json whose model_type no family record covers (Gemma 4's text model here) is read as a Llama-shaped
    decoder: the figure comes with one note on stderr saying so, and stdout stays the product.  A family with a record
    (VaultGemma's calibration config) gets no such note."""
    unknown = {
        "model_type": "gemma4",
        "architectures": ["Gemma4ForConditionalGeneration"],
        "text_config": {
            "model_type": "gemma4_text",
            "hidden_size": 1536,
            "num_hidden_layers": 4,
            "num_attention_heads": 8,
            "num_key_value_heads": 1,
            "head_dim": 256,
            "intermediate_size": 6144,
            "vocab_size": 262144,
        },
    }
    (tmp_path / "config.json").write_text(json.dumps(unknown))
    for args in (
        ("vram", "--model", str(tmp_path), "--quant", "4bit", "--seq-len", "512", "--format", "json"),
        ("suggest", "--examples", "800", "--model", str(tmp_path), "--vram", "24", "--format", "json"),
    ):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)
        notes = [line for line in result.stderr.splitlines() if "no family ftguide has a record of" in line]
        assert len(notes) == 1 and "'gemma4_text'" in notes[0], result.stderr
    known = run_cli("vram", "--model", "calibration/families/vaultgemma-1b", "--quant", "4bit", "--format", "json")
    assert known.returncode == 0 and "no family" not in known.stderr, known.stderr
