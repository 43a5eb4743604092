"""ftguide.diagnose: logs of real CPU training runs in, symptoms and concrete profile changes out.

The logs under tests/data/logs were written by real runs of ftguide's rendered PEFT script on a tiny model
(tests/tools/make_logs.py says how; the last test here makes one again).  Everything else is table-driven from
the guide's "Common Issues and Fixes" tables and its "Overfitting Signs".
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, in_ci

from ftguide import fit, memory
from ftguide.catalog import resolve_model
from ftguide.diagnose import (
    SYMPTOMS,
    Change,
    Diagnosis,
    Symptom,
    detect,
    diagnose,
    logs,
    prescribe,
    read_log,
)
from ftguide.diagnose.prescribe import LEVER_DIRECTIONS
from ftguide.diagnose.profile import check_values, load_profile
from ftguide.diagnose.symptoms import FLAT_MAX_CHANGE, FLAT_MIN_RECORDS, GRAD_WINDOW
from ftguide.engine import suggest
from ftguide.errors import InputError
from ftguide.models import Profile, Request
from ftguide.rules.lora import lr_range

LOGS = ROOT / "tests" / "data" / "logs"
TRAIN_PY = Path(os.environ.get("FTGUIDE_TOOLENVS", ROOT / ".toolenvs")) / "train" / "bin" / "python"


@pytest.fixture(scope="module")
def profile() -> Profile:
    return suggest(Request(examples=800, model="7B", vram_gib=12)).profile


def with_values(profile: Profile, **values: Any) -> Profile:
    data = {**profile.model_dump(), **values}
    data["effective_batch_size"] = data["batch_size"] * data["gradient_accumulation_steps"] * data["num_gpus"]
    return Profile.model_validate(data)


def by_field(changes: list[Change]) -> dict[str, Change]:
    fields = [c.field for c in changes]
    assert len(fields) == len(set(fields)), fields
    return {c.field: c for c in changes}


def train_records(*losses: float, **extra: list[float]) -> list[dict[str, Any]]:
    """Records for steps 1..n with the given losses (and any other per-step series)."""
    return [{"step": i, "loss": loss, **{k: v[i - 1] for k, v in extra.items()}} for i, loss in enumerate(losses, 1)]


# ------------------------------------------------------------------------------------ real training logs


@pytest.mark.parametrize(
    ("name", "expected", "step"),
    [
        ("healthy_trainer_state.json", None, None),
        ("diverging_trainer_state.json", "loss-nan", 3),
        ("nan_trainer_state.json", "loss-nan", 3),
        ("nan.log", "loss-nan", 3),
        ("flat_trainer_state.json", "loss-flat", 1),
        ("overfitting_trainer_state.json", "overfitting", 15),
        ("overfitting.log", "overfitting", 15),
    ],
)
def test_real_logs_give_the_right_symptom_and_step(name: str, expected: str | None, step: int | None) -> None:
    found = detect(read_log(str(LOGS / name)))
    if expected is None:
        assert found == []
    else:
        assert [(s.symptom, s.step) for s in found] == [(expected, step)]


def test_the_evidence_quotes_the_numbers_of_the_run() -> None:
    (diverging,) = detect(read_log(str(LOGS / "diverging_trainer_state.json")))
    assert diverging.evidence.startswith("exploding: grad_norm jumped to 75.6 at step 3")
    assert "no NaN logged yet" in diverging.evidence
    (nan,) = detect(read_log(str(LOGS / "nan_trainer_state.json")))
    assert nan.evidence.startswith("grad_norm is nan at step 3 (loss 6.97 at step 2)")
    assert "filter for non-finite losses" in nan.evidence  # the Trainer logs loss 0 for NaN steps
    (flat,) = detect(read_log(str(LOGS / "flat_trainer_state.json")))
    assert "7.07 at step 1 → 7.01 at step 20" in flat.evidence and "over the last 20 records" in flat.evidence
    (overfit,) = detect(read_log(str(LOGS / "overfitting_trainer_state.json")))
    assert (
        overfit.evidence == "eval_loss rose from 3.83 at step 15 to 4.37 at step 30 (+14%) while loss fell 2.89 → 1.8"
    )
    assert overfit.epoch == 15.0  # one full-batch step per epoch in that run


def test_trainer_state_records() -> None:
    records = read_log(str(LOGS / "overfitting_trainer_state.json"))
    state = json.loads((LOGS / "overfitting_trainer_state.json").read_text())
    assert len(records) == len([r for r in state["log_history"] if "loss" in r or "eval_loss" in r])
    assert records[0] == {
        "step": 1,
        "loss": pytest.approx(6.9768, abs=1e-4),
        "grad_norm": pytest.approx(7.6294, abs=1e-4),
        "learning_rate": 0.0,
        "epoch": 1.0,
    }
    assert {"step": 15, "eval_loss": pytest.approx(3.8334, abs=1e-4), "epoch": 15.0} in records
    assert all(set(r) <= {"step", "loss", "eval_loss", "grad_norm", "learning_rate", "epoch"} for r in records)


@pytest.mark.parametrize("name", ["nan", "overfitting"])
def test_a_console_log_reads_like_the_trainer_state_of_the_same_run(name: str) -> None:
    """transformers 5 prints values as strings, 4 significant digits; steps are counted, evals take the step."""
    text = read_log(str(LOGS / f"{name}.log"))
    state = read_log(str(LOGS / f"{name}_trainer_state.json"))
    assert [(r["step"], sorted(r)) for r in text] == [(r["step"], sorted(r)) for r in state]
    for a, b in zip(text, state, strict=True):
        for key in a:
            if math.isnan(a[key]):
                assert math.isnan(b[key])
            else:
                assert a[key] == pytest.approx(b[key], rel=1e-3, abs=1e-9), (a, b)


def test_jsonl_and_json_list_logs(tmp_path: Path) -> None:
    state = json.loads((LOGS / "overfitting_trainer_state.json").read_text())
    jsonl = tmp_path / "log.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in state["log_history"]))
    listed = tmp_path / "history.json"
    listed.write_text(json.dumps(state["log_history"]))
    expected = read_log(str(LOGS / "overfitting_trainer_state.json"))
    assert read_log(str(jsonl)) == expected
    assert read_log(str(listed)) == expected


def test_a_jsonl_log_with_nan_and_wandb_style_keys(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    path.write_text(
        '{"train/global_step": 10, "train/loss": 1.5, "train/grad_norm": 0.9}\n'
        '{"train/global_step": 20, "train/loss": NaN, "train/grad_norm": Infinity}\n'
        '{"train/global_step": 20, "eval/loss": 1.7}\n'
    )
    records = read_log(str(path))
    assert [r["step"] for r in records] == [10, 20, 20]
    assert records[1]["loss"] != records[1]["loss"] and records[1]["grad_norm"] == math.inf
    assert [(s.symptom, s.step) for s in detect(records)] == [("loss-nan", 20)]


def test_a_transformers_4_console_log(tmp_path: Path) -> None:
    """Older versions print bare floats, and bare ``nan``; tqdm and other text share the lines."""
    path = tmp_path / "train.log"
    path.write_text(
        "Loading checkpoint shards: 100%|##########| 2/2\n"
        " 10%|#         | 1/10 [00:01<00:09]{'loss': 2.1, 'grad_norm': 1.2, 'learning_rate': 0.0002, 'epoch': 0.1}\n"
        "{'loss': 2.0, 'grad_norm': 1.1, 'learning_rate': 0.0002, 'epoch': 0.2}\n"
        "\x1b[A{'eval_loss': 2.05, 'eval_runtime': 1.0, 'epoch': 0.2}\n"
        "{'loss': nan, 'grad_norm': nan, 'learning_rate': 0.0002, 'epoch': 0.3}\n"
        "{'train_runtime': 12.0, 'train_loss': nan, 'epoch': 0.3}\n"
    )
    records = read_log(str(path))
    assert [(r["step"], "eval_loss" in r) for r in records] == [(1, False), (2, False), (2, True), (3, False)]
    (symptom,) = detect(records)
    assert (symptom.symptom, symptom.step, symptom.epoch) == ("loss-nan", 3, 0.3)
    assert symptom.evidence.startswith("loss is nan at step 3 (loss 2 at step 2)")


def test_an_out_of_memory_crash_in_a_console_log(tmp_path: Path) -> None:
    path = tmp_path / "crash.log"
    path.write_text(
        "{'loss': '1.9', 'grad_norm': '0.8', 'learning_rate': '0.0002', 'epoch': '0.01'}\n"
        "Traceback (most recent call last):\n"
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of "
        "23.6 GiB of which 1.1 GiB is free.\n"
    )
    records = read_log(str(path))
    assert records[-1]["step"] == 1 and records[-1]["error"].startswith("torch.OutOfMemoryError")
    (symptom,) = detect(records)
    assert (symptom.symptom, symptom.step) == ("oom", 1)
    assert "CUDA out of memory. Tried to allocate 2.00 GiB" in symptom.evidence
    crash = tmp_path / "early.log"
    crash.write_text("RuntimeError: CUDA error: out of memory\n")
    assert [(s.symptom, s.step) for s in detect(read_log(str(crash)))] == [("oom", None)]


def test_an_output_folder_is_read_at_its_newest_checkpoint(tmp_path: Path) -> None:
    state = (LOGS / "flat_trainer_state.json").read_text()
    for n in (2, 10):  # 10 is newer than 2, though "checkpoint-10" < "checkpoint-2" as text
        (tmp_path / f"checkpoint-{n}").mkdir()
        (tmp_path / f"checkpoint-{n}" / "trainer_state.json").write_text(state if n == 10 else "{}")
    assert read_log(str(tmp_path)) == read_log(str(LOGS / "flat_trainer_state.json"))


BAD_LOGS = {
    "missing.json": None,
    "empty.log": "",
    "blank.log": " \n\n\t\n",
    "no_records.log": "Loading weights: 100%\nadapter saved to outputs/lora\n",
    "other.json": '{"best_metric": null, "log_history": []}',
    "truncated.json": json.dumps({"log_history": [{"loss": 1.0, "step": 1}]}, indent=2)[:-8],  # as HF writes it
    "summary_only.log": "{'train_runtime': '5.2', 'train_loss': '1.18', 'epoch': '1.3'}\n",
    "code.log": "{'loss': __import__('os').system('touch PWNED')}\n",
    "binary.log": "\x00\x01\x02\xff",
}


@pytest.mark.parametrize("name", sorted(BAD_LOGS))
def test_bad_logs_are_one_line_input_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if BAD_LOGS[name] is not None:
        path.write_text(BAD_LOGS[name])
    with pytest.raises(InputError) as info:
        read_log(str(path))
    message = str(info.value)
    assert message.startswith("--log: ") and "\n" not in message
    assert not (tmp_path / "PWNED").exists()


def test_bad_log_messages_say_what_was_wrong(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_log(str(tmp_path / "nope.json"))
    (tmp_path / "empty.log").write_text("")
    with pytest.raises(InputError, match="is empty"):
        read_log(str(tmp_path / "empty.log"))
    (tmp_path / "bad.json").write_text('{"log_history": [')
    with pytest.raises(InputError, match="not valid JSON"):
        read_log(str(tmp_path / "bad.json"))
    with pytest.raises(InputError, match=r"folder without a trainer_state\.json"):
        read_log(str(tmp_path))


# ---------------------------------------------------------------------------------- detection thresholds


def test_loss_exploding_needs_three_times_the_minimum_and_one_nat() -> None:
    (found,) = detect(train_records(2.0, 1.5, 1.2, 1.3, 4.0, 9.0))
    assert (found.symptom, found.step) == ("loss-nan", 5)
    assert found.evidence.startswith("exploding: loss rose from 1.2 at step 3 to 4 at step 5")
    assert detect(train_records(2.0, 1.5, 1.2, 1.3, 3.5, 1.1)) == []  # under 3x
    assert detect(train_records(1.0, 0.5, 0.1, 0.05, 0.2, 0.04)) == []  # 4x but 0.15 up: noise at low loss


def test_a_grad_norm_spike_of_ten_times_the_median_is_exploding() -> None:
    losses = (2.0, 1.9, 1.8, 1.7, 1.6)
    (found,) = detect(train_records(*losses, grad_norm=[1.0, 1.2, 0.9, 12.0, 1.0]))
    assert (found.symptom, found.step) == ("loss-nan", 4)
    assert "12x the median 1 of the steps before" in found.evidence
    assert detect(train_records(*losses, grad_norm=[1.0, 1.2, 0.9, 8.0, 1.0])) == []
    assert detect(train_records(*losses, grad_norm=[1.0, 12.0, 1.0, 1.0, 1.0])) == []  # one step before: no baseline


def test_flat_loss_reports_where_it_flattened() -> None:
    falling = [3.0, 2.5, 2.1, 1.8, 1.6]
    flat = [1.5, 1.52, 1.49, 1.51, 1.5, 1.48, 1.51, 1.5, 1.49, 1.5, 1.51, 1.49]
    (found,) = detect(train_records(*falling, *flat))
    assert (found.symptom, found.step) == ("loss-flat", 6)
    assert found.evidence.startswith("after falling from 3 at step 1, loss 1.5 at step 6 → 1.49 at step 17")
    # falling 3% over the last half (of 20): not flat; falling 1.9% there: flat
    assert detect(train_records(*[2.0 - 0.0065 * i for i in range(20)])) == []
    (slow,) = detect(train_records(*[2.0 - 0.004 * i for i in range(20)]))
    assert (slow.symptom, slow.step) == ("loss-flat", 11) and "trend -1.9% over the last 10 records" in slow.evidence
    # fewer than 10 training records: too short to call
    assert detect(train_records(*[1.5] * 9)) == []


def test_overfitting_needs_a_real_rise_while_training_loss_falls() -> None:
    losses = [2.0 - 0.05 * i for i in range(20)]
    evals = {5: 1.9, 10: 1.6, 15: 1.7, 20: 1.8}

    def run(evals: dict[int, float], losses: list[float] = losses) -> list[dict[str, Any]]:
        records = []
        for record in train_records(*losses):
            records.append(record)
            if record["step"] in evals:
                records.append({"step": record["step"], "eval_loss": evals[record["step"]]})
        return records

    (found,) = detect(run(evals))
    assert (found.symptom, found.step) == ("overfitting", 10)
    assert found.evidence == "eval_loss rose from 1.6 at step 10 to 1.8 at step 20 (+12%) while loss fell 1.55 → 1.05"
    assert detect(run({5: 1.9, 10: 1.6, 15: 1.62, 20: 1.63})) == []  # under 2% above the best
    assert detect(run({5: 1.9, 10: 1.8, 15: 1.6, 20: 1.7})) == []  # one evaluation after the best
    rising = [1.0 + 0.01 * i for i in range(20)]
    assert [s.symptom for s in detect(run(evals, rising))] == []  # both rise: not overfitting (and not flat)


def test_flat_is_not_reported_beside_nan() -> None:
    """A run that diverged and then sat still needs a smaller learning rate, not the larger one flat asks for."""
    records = read_log(str(LOGS / "diverging_trainer_state.json"))
    assert [s.symptom for s in detect(records)] == ["loss-nan"]
    tail = [r for r in records if r["step"] >= 8]  # the dead stretch alone (5 steps of loss 6.7056) is too short
    assert detect(tail) == []


# ------------------------------------------------------------------------------------------- samples


def test_the_diverged_models_real_outputs_are_garbage() -> None:
    samples = json.loads((LOGS / "diverging_samples.json").read_text())["samples"]
    (found,) = detect([], samples)
    assert (found.symptom, found.step) == ("garbage", None)
    assert found.evidence.startswith('3 of 3 samples are repetitive; sample 1 repeats "answer answer answer" 9 times')
    assert '"answer answer answer answer answer . answer' in found.evidence  # a short excerpt


@pytest.mark.parametrize(
    ("samples", "why"),
    [
        (["The cat sat. The cat sat. The cat sat. The cat sat."], 'repeats "the cat sat" 4 times'),
        (["ok ok ok ok ok ok"], 'repeats "ok ok ok" 4 times'),
        (["!!!!!!!!"], 'repeats "! ! !" 6 times'),
        (["a b c d b a c d e a b c e d a c d"], "has 5 distinct words in 17"),
    ],
)
def test_repetitive_samples(samples: list[str], why: str) -> None:
    (found,) = detect([], ["Four plus three is seven.", *samples])
    assert found.symptom == "garbage" and f"1 of 2 samples are repetitive; sample 2 {why}" in found.evidence


def test_ordinary_samples_are_quiet() -> None:
    samples = [
        "The answer is 7.",
        "A cat is a small animal that sleeps most of the day and hunts at night.",
        "Paris is the capital of France; it lies on the Seine, and the city has about two million people.",
        "",
    ]
    assert detect([], samples) == []
    assert detect([], []) == []
    (empty,) = detect([], ["", "  "])
    assert empty.evidence == "all 2 samples are empty: the model ends at once"


# ----------------------------------------------------------------------------------------- prescriptions


def test_symptom_ids() -> None:
    assert SYMPTOMS == ("loss-flat", "loss-nan", "garbage", "oom", "overfitting")


def test_loss_flat_prescription(profile: Profile) -> None:
    changes = by_field(prescribe("loss-flat", profile))
    assert (profile.learning_rate, profile.lora_r, profile.lora_alpha) == (2e-4, 16, 32)
    top = lr_range(7.25)[1]
    assert changes["learning_rate"].recommended == top < 4e-4  # ×2, capped at the top of the 7B range
    assert changes["lora_r"].recommended == 32 and changes["lora_alpha"].recommended == 64
    assert "data" in changes and "chat_template" in changes
    assert changes["learning_rate"].reason.startswith(
        "guide: Loss Not Decreasing → LR too low → increase learning rate"
    )
    tiny_lr = with_values(profile, learning_rate=1e-12)
    assert by_field(prescribe("loss-flat", tiny_lr))["learning_rate"].recommended == 1e-4  # up to the range's floor
    at_top = with_values(profile, learning_rate=top)
    assert "learning_rate" not in by_field(prescribe("loss-flat", at_top))
    unknown = with_values(profile, base_model="someone/unknown-model", learning_rate=3e-4)
    assert by_field(prescribe("loss-flat", unknown))["learning_rate"].recommended == 6e-4  # ×2, no range known
    ratio4 = with_values(profile, lora_r=8, lora_alpha=32)
    assert by_field(prescribe("loss-flat", ratio4))["lora_alpha"].recommended == 64


def test_loss_nan_prescription(profile: Profile) -> None:
    changes = by_field(prescribe("loss-nan", profile))
    assert changes["learning_rate"].recommended == 1e-4
    assert changes["learning_rate"].reason == "guide: Loss Explodes (NaN) → LR too high → reduce learning rate (halved)"
    assert (changes["warmup_ratio"].current, changes["warmup_ratio"].recommended) == (0.03, 0.05)
    assert changes["precision"].current == "bf16" and "fp32" in changes["precision"].recommended
    assert "max_grad_norm" not in changes  # already 1.0
    fp16 = with_values(profile, precision="fp16", warmup_ratio=0.1, max_grad_norm=5.0)
    changes = by_field(prescribe("loss-nan", fp16))
    assert changes["precision"].recommended == "bf16"
    assert "warmup_ratio" not in changes
    assert changes["max_grad_norm"].recommended == 1.0


def test_garbage_prescription(profile: Profile) -> None:
    changes = by_field(prescribe("garbage", profile))
    assert list(changes) == ["chat_template", "eos_token", "num_epochs", "lora_dropout"]
    assert changes["num_epochs"].recommended == 1.0 and changes["lora_dropout"].recommended == 0.1
    assert "eos_token" in changes["eos_token"].recommended
    chat = by_field(prescribe("garbage", with_values(profile, dataset_format="messages", chat_template="chatml")))
    assert (
        chat["chat_template"].current == "chatml"
        and "base model's own chat template" in chat["chat_template"].recommended
    )
    one_epoch = by_field(prescribe("garbage", with_values(profile, num_epochs=1.0, lora_dropout=0.2)))
    assert "num_epochs" not in one_epoch and "lora_dropout" not in one_epoch


def fitted_changes(profile: Profile, budget: float, framework: str = "peft") -> dict[str, Any]:
    """What the fitter itself changes to make ``profile`` fit ``budget``: the reference the advice must match."""
    arch = resolve_model(profile.base_model)
    after = fit.fit(profile, arch, framework, budget).profile
    return {f: getattr(after, f) for f in fit.LEVER_FIELDS if getattr(after, f) != getattr(profile, f)}


UPCAST = "embeddings_upcast" in Profile.model_fields


def applied(profile: Profile, changes: list[Change]) -> Profile:
    return with_values(profile, **{c.field: c.recommended for c in changes if c.field in Profile.model_fields})


def test_oom_advice_without_the_gpus_size_is_the_fitters_first_step(profile: Profile) -> None:
    changes = prescribe("oom", profile)
    estimated = memory.total_gib(profile, resolve_model(profile.base_model), "peft")
    budget = math.floor(estimated * 10) / 10  # one step below the run's own estimate
    assert {c.field: c.recommended for c in changes[:-1]} == fitted_changes(profile, budget)
    fields = by_field(changes)
    # The profile is 4-bit with the fp32 upcast on: the fitter's first lever keeps the frozen weights 16-bit.
    assert profile.quantization == "4bit" and profile.embeddings_upcast
    assert fields["embeddings_upcast"].recommended is False and changes[0].field == "embeddings_upcast"
    assert "16-bit" in fields["embeddings_upcast"].reason
    assert all(f"the run's estimated {estimated:.1f} GiB" in c.reason for c in changes[:-1])
    assert changes[-1].field == "gpu" and "cannot judge" in changes[-1].reason and changes[-1].current is None


def test_oom_advice_fits_the_gpu_the_error_names(profile: Profile, tmp_path: Path) -> None:
    log = tmp_path / "crash.log"
    log.write_text(
        "{'loss': '1.9', 'grad_norm': '0.8', 'learning_rate': '0.0002', 'epoch': '0.01'}\n"
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 612.00 MiB. GPU 0 has a total capacity of "
        "8.00 GiB of which 100.00 MiB is free. Including non-PyTorch memory, this process has 7.90 GiB in use.\n"
    )
    result = diagnose(log=str(log), symptom=None, profile=profile)
    (oom,) = result.symptoms
    assert (oom.gpu_memory_gib, oom.missing_gib) == (8.0, pytest.approx(0.5))
    assert "(a 8 GiB GPU, 0.50 GiB short)" in oom.evidence
    arch = resolve_model(profile.base_model)
    estimated = memory.total_gib(profile, arch, "peft")
    budget = math.floor(min(8.0, estimated * 8.0 / 8.5) * 10) / 10
    assert {c.field: c.recommended for c in result.changes} == fitted_changes(profile, budget)
    assert len(result.changes) > 1  # more than one lever this time
    after = applied(profile, result.changes)
    assert memory.total_gib(after, arch, "peft") + memory.safety_margin(budget) <= budget
    assert all("the error reports a 8 GiB GPU, 0.50 GiB short" in c.reason for c in result.changes)


def test_oom_advice_pulls_the_levers_in_the_fitters_order(profile: Profile) -> None:
    roomy = with_values(profile, gradient_checkpointing=False, quantization="none", optimizer="adamw_torch_fused")
    crash = Symptom(symptom="oom", step=3, evidence="...", gpu_memory_gib=16.0, missing_gib=1.0)
    changes = prescribe(crash, roomy)
    fields = [c.field for c in changes]
    assert fields[0] == "gradient_checkpointing" and changes[0].recommended is True  # the fitter's lever 1
    estimated = memory.total_gib(roomy, resolve_model(roomy.base_model), "peft")
    budget = math.floor(min(estimated, 16.0, estimated * 16 / 17) * 10) / 10
    assert {c.field: c.recommended for c in changes} == fitted_changes(roomy, budget)
    for change in changes:
        assert change.current == getattr(roomy, change.field) and change.reason.startswith("ftguide: ")


def test_oom_advice_says_when_the_gpu_is_too_small(profile: Profile) -> None:
    tiny = Symptom(symptom="oom", step=1, evidence="...", gpu_memory_gib=4.0, missing_gib=0.5)
    changes = by_field(prescribe(tiny, profile))
    arch = resolve_model(profile.base_model)
    floor = fit.minimal_profile(profile, arch, framework="peft")
    for name in fit.LEVER_FIELDS:
        if getattr(floor, name) != getattr(profile, name):
            assert changes[name].recommended == getattr(floor, name)
    least = memory.total_gib(floor, arch, "peft")
    assert changes["gpu"].current == 4.0
    assert changes["gpu"].recommended == f"at least {least + memory.safety_margin(least):.1f} GiB per GPU"
    smallest = with_values(floor, batch_size=1, gradient_accumulation_steps=16)
    assert [c.field for c in prescribe(tiny, smallest)] == ["gpu"]  # no lever left


def test_oom_advice_estimates_with_the_runs_framework(profile: Profile) -> None:
    arch = resolve_model(profile.base_model)
    for framework in ("peft", "axolotl", "unsloth"):
        (first, *_) = prescribe("oom", profile, framework)
        assert f"estimated {memory.total_gib(profile, arch, framework):.1f} GiB" in first.reason
    with pytest.raises(InputError, match=r"^framework: 'trl' is not one of peft, axolotl, unsloth$"):
        prescribe("oom", profile, "trl")


def test_oom_directions_cover_every_lever_of_the_fitter() -> None:
    assert set(LEVER_DIRECTIONS) >= set(fit.LEVER_FIELDS)  # a new lever in the fitter needs its direction here
    changes = by_field(prescribe("oom", None))
    assert set(changes) == set(fit.LEVER_FIELDS) | {"profile"}
    assert "cannot estimate what each lever saves" in changes["profile"].reason


def test_oom_advice_for_a_model_ftguide_does_not_know(profile: Profile) -> None:
    unknown = with_values(profile, base_model="someone/unknown-model")
    changes = by_field(prescribe("oom", unknown))
    assert "no architecture for 'someone/unknown-model'" in changes["memory_estimate"].reason
    assert changes["batch_size"].current == 2 and changes["batch_size"].recommended == "×0.5"
    assert "gradient_checkpointing" not in changes  # already on


def test_oom_targets_use_the_models_own_names() -> None:
    phi = suggest(Request(examples=800, model="phi-3-mini-4k", vram_gib=24)).profile
    assert phi.target_modules == ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]
    # Every earlier lever already pulled, and a rank high enough that the MLP adapters weigh gigabytes.
    lean = with_values(
        phi, batch_size=1, gradient_accumulation_steps=16, max_seq_length=512, quantization="4bit", lora_r=256
    )
    lean = with_values(lean, lora_alpha=512, **({"embeddings_upcast": False} if UPCAST else {}))
    arch = resolve_model(lean.base_model)
    gpu = math.ceil((memory.total_gib(with_values(lean, target_modules=["qkv_proj", "o_proj"]), arch) + 0.5) * 10)
    assert memory.total_gib(lean, arch) > gpu / 10
    crash = Symptom(symptom="oom", step=1, evidence="...", gpu_memory_gib=gpu / 10)
    changes = prescribe(crash, lean)
    assert [(c.field, c.recommended) for c in changes] == [("target_modules", ["qkv_proj", "o_proj"])]
    assert "target modules reduced to attention (guide lever 5)" in changes[0].reason


def test_overfitting_prescription_uses_the_best_evaluation(profile: Profile) -> None:
    changes = by_field(prescribe("overfitting", profile))
    assert changes["num_epochs"].recommended == 1.0  # one fewer without a log
    assert changes["lora_dropout"].recommended == 0.1
    assert changes["learning_rate"].recommended == 1e-4
    assert "early_stopping_patience" not in changes  # the profile already stops after 3
    best = Symptom(symptom="overfitting", step=40, evidence="...", epoch=1.6667)
    changes = by_field(prescribe(best, with_values(profile, num_epochs=3.0, early_stopping_patience=None)))
    assert changes["num_epochs"].recommended == 1.7
    assert "to epoch 1.7, where eval_loss was lowest" in changes["num_epochs"].reason
    assert changes["early_stopping_patience"].recommended == 3
    early = Symptom(symptom="overfitting", step=5, evidence="...", epoch=0.4)
    assert by_field(prescribe(early, profile))["num_epochs"].recommended == 1.0  # at least one epoch
    capped = by_field(prescribe("overfitting", with_values(profile, lora_dropout=0.18)))
    assert capped["lora_dropout"].recommended == 0.2


@pytest.mark.parametrize("symptom", SYMPTOMS)
def test_every_prescription_cites_its_source(profile: Profile, symptom: str) -> None:
    for change in prescribe(symptom, profile):
        assert change.reason.startswith(("guide: ", "ftguide: ")), change
        if change.field in Profile.model_fields and change.field != "chat_template":
            assert change.current == getattr(profile, change.field)
            assert change.recommended != change.current


@pytest.mark.parametrize("symptom", SYMPTOMS)
def test_without_a_profile_the_direction_is_given(symptom: str) -> None:
    changes = prescribe(symptom, None)
    assert changes and all(c.current is None and c.recommended is not None for c in changes)
    assert len({c.field for c in changes}) == len(changes)


def test_unknown_symptoms_are_input_errors() -> None:
    with pytest.raises(InputError, match=r"^--symptom: unknown symptom 'loss-spike' \(one of loss-flat, "):
        prescribe("loss-spike", None)


# ------------------------------------------------------------------------------------------- diagnose


def test_diagnose_a_real_log(profile: Profile) -> None:
    result = diagnose(log=str(LOGS / "overfitting_trainer_state.json"), symptom=None, profile=profile)
    assert result.source == "log"
    assert [(s.symptom, s.step) for s in result.symptoms] == [("overfitting", 15)]
    fields = by_field(result.changes)
    assert fields["num_epochs"].recommended == 1.0  # best epoch 15 is past the profile's 2: one fewer
    healthy = diagnose(log=str(LOGS / "healthy_trainer_state.json"), symptom=None, profile=profile)
    assert healthy.symptoms == [] and healthy.changes == []


def test_a_reported_symptom_the_log_shows_is_listed_once(profile: Profile) -> None:
    result = diagnose(log=str(LOGS / "nan.log"), symptom="loss-nan", profile=profile)
    assert result.source == "log+symptom"
    assert [(s.symptom, s.step) for s in result.symptoms] == [("loss-nan", 3)]
    assert result.symptoms[0].evidence.startswith("grad_norm is nan")


def test_the_more_urgent_symptom_wins_a_shared_field(profile: Profile) -> None:
    """NaN in the log and a reported flat loss: halve the learning rate, never double it."""
    result = diagnose(log=str(LOGS / "nan_trainer_state.json"), symptom="loss-flat", profile=profile)
    assert [s.symptom for s in result.symptoms] == ["loss-nan", "loss-flat"]
    assert result.symptoms[1].evidence == "reported with --symptom; the log shows no sign of it"
    fields = by_field(result.changes)
    assert fields["learning_rate"].recommended == 1e-4
    assert fields["lora_r"].recommended == 32  # flat's other fixes still come


def test_diagnose_without_a_log() -> None:
    result = diagnose(log=None, symptom=" OOM ", profile=None)
    assert result.source == "symptom"
    assert result.symptoms == [Symptom(symptom="oom", step=None, evidence="reported with --symptom")]
    assert result.changes == prescribe("oom", None)
    samples = json.loads((LOGS / "diverging_samples.json").read_text())["samples"]
    assert diagnose(log=None, symptom=None, profile=None, samples=samples).source == "samples"
    quiet = diagnose(log=None, symptom="garbage", profile=None, samples=["The answer is 7."])
    assert quiet.source == "samples+symptom"
    assert quiet.symptoms[0].evidence == "reported with --symptom; the samples given show no repetition"


def test_diagnose_needs_something_to_go_on() -> None:
    with pytest.raises(InputError, match="give --log, --symptom or both"):
        diagnose(log=None, symptom=None, profile=None)
    with pytest.raises(InputError, match=r"^--symptom: "):
        diagnose(log=str(LOGS / "nan.log"), symptom="slow", profile=None)


def test_diagnose_is_deterministic(profile: Profile) -> None:
    samples = json.loads((LOGS / "diverging_samples.json").read_text())["samples"]
    runs = [
        diagnose(log=str(LOGS / "overfitting.log"), symptom="oom", profile=profile, samples=samples).model_dump_json()
        for _ in range(3)
    ]
    assert runs[0] == runs[1] == runs[2]
    assert [s["symptom"] for s in json.loads(runs[0])["symptoms"]] == ["oom", "overfitting", "garbage"]


def test_the_models_are_frozen_strict_and_documented() -> None:
    result = diagnose(log=None, symptom="oom", profile=None)
    with pytest.raises(ValueError):
        result.source = "log"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Diagnosis.model_validate({**result.model_dump(), "extra": 1})
    schema = Diagnosis.model_json_schema()
    assert "most urgent first" in schema["properties"]["symptoms"]["description"]
    assert "guide's row" in schema["$defs"]["Change"]["properties"]["reason"]["description"]
    assert Diagnosis.model_validate_json(result.model_dump_json()) == result


# ------------------------------------------------------------------------------------------ hostile logs

INTERNALS = ("NoneType", "KeyError", "TypeError", "Traceback", "recursion", "sys.", "int_max_str_digits", "<class")


def one_line_error(path: Path | str, match: str) -> str:
    with pytest.raises(InputError) as info:
        read_log(str(path))
    message = str(info.value)
    assert message.startswith("--log: ") and "\n" not in message, message
    assert not any(word in message for word in INTERNALS), message
    assert re.search(match, message), message
    return message


def dumped(records: list[dict[str, Any]]) -> str:
    """Records as JSON text, so that NaN compares equal to NaN."""
    return json.dumps(records)


def run_diagnose(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m ftguide diagnose`` as a real process that must end within ``timeout`` seconds."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "ftguide", "diagnose", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def test_a_device_is_refused_at_once() -> None:
    done = run_diagnose("--log", "/dev/zero")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "--log: /dev/zero is a device, not a log file" in done.stderr
    one_line_error("/dev/null", "is a device")


def test_a_fifo_is_read_once_as_it_arrives(tmp_path: Path) -> None:
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)
    text = (LOGS / "nan.log").read_bytes()

    def write() -> None:
        with fifo.open("wb") as out:
            for i in range(0, len(text), 1000):  # in pieces, as a running trainer writes
                out.write(text[i : i + 1000])
                out.flush()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert dumped(read_log(str(fifo))) == dumped(read_log(str(LOGS / "nan.log")))
    finally:
        writer.join(timeout=30)


def test_an_endless_fifo_stops_at_a_cap(tmp_path: Path) -> None:
    fifo = tmp_path / "zeros.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"exec cat /dev/zero > '{fifo}'"], stderr=subprocess.DEVNULL)
    try:
        done = run_diagnose("--log", str(fifo))
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip().endswith("zeros.fifo: line 1 is longer than 1 MiB")


def test_a_stream_of_short_lines_stops_at_the_byte_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_LOG_BYTES", 4 * 1024**2)
    fifo = tmp_path / "lines.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as out:
            for _ in range(6 * 1024):
                out.write(b" 10%|#         | 1/10 [00:01<00:09]\r" * 28)  # 1 KiB of progress redraws

    writer = threading.Thread(target=write)
    writer.start()
    try:
        one_line_error(fifo, r"lines\.fifo is longer than 4 MiB, the most ftguide reads$")
    finally:
        writer.join(timeout=30)
    big = tmp_path / "big.log"
    big.write_text("{'loss': 1.0}\n" * (300 * 1024))
    one_line_error(big, r"big\.log is larger than 4 MiB, the most ftguide reads$")


def test_long_lines_and_large_documents_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    long_line = tmp_path / "long.log"
    long_line.write_text("{'loss': 1.0}\n" + "x" * (logs.MAX_LINE_CHARS + 5) + "\n{'loss': 2.0}\n")
    one_line_error(long_line, r"long\.log: line 2 is longer than 1 MiB$")
    monkeypatch.setattr(logs, "MAX_DOCUMENT_BYTES", 64 * 1024)
    state = json.loads((LOGS / "healthy_trainer_state.json").read_text())
    state["log_history"] *= 10
    large = tmp_path / "trainer_state.json"
    large.write_text(json.dumps(state, indent=2))
    one_line_error(large, r"is a JSON document larger than 64 KiB, the most ftguide reads as one document$")
    console = tmp_path / "train.log"  # opens with a dict printed over lines, then is a console log past the cap
    console.write_text("{'model': 'x',\n 'lr': 2e-4}\n" + "{'loss': 1.5}\n" * 10_000)
    assert len(read_log(str(console))) == 10_000


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[" * 100_000 + "]" * 100_000, "line 1 is nested too deeply to read"),
        ('{\n"log_history": ' + "[" * 100_000 + "]" * 100_000 + "}", "the JSON is nested too deeply to read"),
        ('{"loss": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "line 1 is nested too deeply to read"),
        ('{\n"log_history": [{"loss": ' + "1" * 5000 + "}]}", "holds a number longer than 4300 digits"),
        ('{"log_history": [{"loss": ' + "1" * 5000 + "}]}", "line 1 holds a number longer than 4300 digits"),
        ("{'loss': 2.0}\n{'loss': " + "7" * 5000 + "}\n", "line 2 holds a number longer than 4300 digits"),
        ('{\n"log_history": [{"loss": ' + "1" * 400 + "}]}", r"log_history\[0\]: loss is a number too large"),
    ],
    ids=["deep-line", "deep-document", "deep-jsonl", "huge-int", "huge-int-one-line", "huge-int-console", "400-digits"],
)
def test_deep_and_huge_json_is_one_clear_error(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "log.json"
    path.write_text(text)
    one_line_error(path, match)


@pytest.mark.parametrize(
    ("history", "match"),
    [
        ([{"loss": 1.0, "step": 1}, {"loss": "abc", "step": 2}], r'log_history\[1\]: loss is text \("abc"\), expected'),
        ([{"loss": 1.0, "step": True}], r"log_history\[0\]: step is true/false, expected a number"),
        ([{"loss": 1.0, "step": -3}], r"log_history\[0\]: step is -3, expected a whole number from 0"),
        ([{"loss": 1.0, "step": 2**60}], r"log_history\[0\]: step is a very large number, expected a whole number"),
        ([{"loss": 1.0, "step": 10**400}], r"log_history\[0\]: step is a very large number, expected a whole number"),
        ([{"loss": 1.0, "step": 1.5e300}], r"log_history\[0\]: step is a very large number, expected a whole number"),
        ([{"loss": 1.0, "grad_norm": [1]}], r"log_history\[0\]: grad_norm is a list, expected a number"),
        ([{"eval_loss": {"x": 1}}], r"log_history\[0\]: eval_loss is an object, expected a number"),
        ([{"loss": 1.0}, "x"], r"log_history\[1\] is text, expected a record"),
        (5, r"log_history is a number, expected a list of records"),
        (None, r"log_history is null, expected a list of records"),
    ],
)
def test_wrongly_typed_trainer_state_fields_are_named(tmp_path: Path, history: Any, match: str) -> None:
    path = tmp_path / "trainer_state.json"
    path.write_text(json.dumps({"global_step": 2, "log_history": history}, indent=2))
    one_line_error(path, f"trainer_state.json: {match}")


def test_numbers_as_text_and_nulls_are_read_in_a_trainer_state(tmp_path: Path) -> None:
    path = tmp_path / "trainer_state.json"
    history = [{"loss": "2.5", "step": 1, "grad_norm": None}, {"loss": 2.0, "step": "2", "epoch": "0.5"}]
    path.write_text(json.dumps({"log_history": history}, indent=2))
    assert read_log(str(path)) == [{"step": 1, "loss": 2.5}, {"step": 2, "loss": 2.0, "epoch": 0.5}]
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([{"loss": 1.0}, 7], indent=2))
    one_line_error(listed, r"list\.json: item\[1\] is a number, expected a record")


def test_bad_paths_are_one_line(tmp_path: Path) -> None:
    one_line_error(tmp_path / ("x" * 300), r"cannot read it \(File name too long\)$")
    one_line_error("nul\0byte.log", "the path holds a NUL character")
    (tmp_path / "checkpoint-99999999999999999999999").mkdir()
    one_line_error(tmp_path, "folder without a trainer_state.json")


def test_detect_takes_records_with_odd_values() -> None:
    odd = [{"step": 10**400, "loss": 1.0}, {"step": math.nan, "loss": 2.0}, {"loss": 10**400}, {"loss": "x"}, "x"]
    assert detect(odd) == []  # steps that are no steps count on; a loss past a float is no loss


def test_console_noise_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "train.log"
    path.write_text(
        "{'loss': 'cross_entropy', 'x': 1}\n"  # a config dict with a loss name: not a record
        "{'loss': 2.0, 'grad_norm': True}\n"
        "{'loss': (1, 2)} {'loss': 1.5}\n"
        '{"loss": 1.2, "nested": {"a": [1, 2]}}\n'
        "{'loss': 1.0, 'when': <object at 0x7f>}\n"
        "\x00\x01{'loss': 0.9}\xff\n"
    )
    assert [r.get("loss") for r in read_log(str(path))] == [2.0, 1.5, 1.2, 0.9]


def test_progress_redraws_with_carriage_returns_read_like_lines(tmp_path: Path) -> None:
    text = (LOGS / "overfitting.log").read_text()
    redrawn = tmp_path / "redrawn.log"
    redrawn.write_text(text.replace("\n  ", "\r  "), newline="")  # tqdm's bar redrawn in place, as in a file
    crlf = tmp_path / "crlf.log"
    crlf.write_text(text.replace("\n", "\r\n"), newline="")
    expected = read_log(str(LOGS / "overfitting.log"))
    assert read_log(str(redrawn)) == expected and read_log(str(crlf)) == expected
    huge = tmp_path / "huge.log"
    huge.write_text("progress\r{'loss': 1.0}\r\nnext\r\r{'loss': " + "9" * 5000 + "}\n")
    one_line_error(huge, "line 2 holds a number")  # lines are counted by newlines only


@pytest.mark.parametrize("block", [1, 7, 4096])
def test_reading_in_blocks_of_any_size_gives_the_same_records(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    names = ["nan.log", "overfitting.log", "overfitting_trainer_state.json", "flat_trainer_state.json"]
    expected = {name: dumped(read_log(str(LOGS / name))) for name in names}
    monkeypatch.setattr(logs, "_BLOCK", block)
    for name in names:
        assert dumped(read_log(str(LOGS / name))) == expected[name], name


def test_a_one_line_trainer_state_reads_like_the_indented_one(tmp_path: Path) -> None:
    state = json.loads((LOGS / "overfitting_trainer_state.json").read_text())
    path = tmp_path / "trainer_state.json"
    path.write_text(json.dumps(state))
    assert read_log(str(path)) == read_log(str(LOGS / "overfitting_trainer_state.json"))


def test_a_python_repr_with_quotes_inside_strings_is_read_exactly(tmp_path: Path) -> None:
    """The quote-swapping fast path must not be fooled: such lines go to literal_eval."""
    path = tmp_path / "train.log"
    path.write_text(
        "{'note': \"it's\", 'loss': 1.5}\n"
        "{'note': '\", \"loss\": 9, \"x\": \"', 'loss': 2.5}\n"
        "{'note': 'a\\'b', 'loss': nan, 'grad_norm': inf}\n"
    )
    records = read_log(str(path))
    assert [r["loss"] for r in records[:2]] == [1.5, 2.5]
    assert math.isnan(records[2]["loss"]) and records[2]["grad_norm"] == math.inf


# -------------------------------------------------------------------------------------------- long runs


def long_run(records: int, best_eval: int) -> tuple[list[dict[str, Any]], list[str]]:
    """A run's trainer_state log_history and its console lines: training loss falls all along; the evaluation
    loss falls until ``best_eval`` and rises from there."""
    history: list[dict[str, Any]] = []
    lines = ["Loading weights: 100%|██████████| 21/21"]
    for step in range(1, records + 1):
        loss = round(3.0 - 2.0 * step / records + 0.01 * math.sin(step), 4)
        epoch = round(2 * step / records, 4)
        history.append({"epoch": epoch, "grad_norm": 1.0 + 0.1 * math.cos(step), "loss": loss, "step": step})
        lines.append(f"\r {step}/{records} [00:01<05:25]{{'loss': '{loss:.4g}', 'epoch': '{epoch:.4g}'}}")
        if step % 1000 == 0:
            evaluation = round(
                2.0 - step / records if step <= best_eval else 2.0 - best_eval / records + (step - best_eval) / records,
                4,
            )
            history.append({"epoch": epoch, "eval_loss": evaluation, "step": step})
            lines.append(f"{{'eval_loss': '{evaluation:.4g}', 'eval_runtime': '2.5', 'epoch': '{epoch:.4g}'}}")
    return history, lines


def test_a_100k_record_log_is_diagnosed_correctly(tmp_path: Path) -> None:
    history, lines = long_run(100_000, best_eval=60_000)
    state = tmp_path / "trainer_state.json"
    state.write_text(json.dumps({"global_step": 100_000, "log_history": history}, indent=2))
    console = tmp_path / "train.log"
    console.write_text("\n".join(lines) + "\n", newline="")
    from_state, from_console = read_log(str(state)), read_log(str(console))
    assert len(from_state) == len(from_console) == 100_100
    assert [r["step"] for r in from_state] == [r["step"] for r in from_console]
    for records in (from_state, from_console):
        (found,) = detect(records)
        assert (found.symptom, found.step, found.epoch) == ("overfitting", 60_000, 1.2)
        assert found.evidence.startswith("eval_loss rose from 1.4 at step 60000 to 1.8 at step 100000 (+29%)")
    # A NaN near the end of the same run, then the crash: both found, at their steps.
    lines[-500] = "{'loss': 'nan', 'grad_norm': 'nan', 'epoch': '1.99'}"
    lines.append(
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB. "
        "GPU 0 has a total capacity of 79.1 GiB of which 0.50 GiB is free."
    )
    console.write_text("\n".join(lines) + "\n", newline="")
    found = diagnose(log=str(console), symptom=None, profile=None).symptoms
    nan_step = 100_000 - 499 + 1
    assert [(s.symptom, s.step) for s in found] == [("loss-nan", nan_step), ("oom", 100_000), ("overfitting", 60_000)]
    assert found[0].evidence.startswith(f"loss is nan at step {nan_step} (loss ")
    assert (found[1].gpu_memory_gib, found[1].missing_gib) == (79.1, 0.5)


def test_a_long_flat_run_is_found_where_it_flattened(tmp_path: Path) -> None:
    falling = [{"loss": round(5.0 - 3.0 * i / 40_000, 5), "step": i + 1} for i in range(40_000)]
    flat = [{"loss": 2.0 + 0.01 * ((i * 7919) % 13 - 6) / 6, "step": 40_001 + i} for i in range(60_000)]
    path = tmp_path / "trainer_state.json"
    path.write_text(json.dumps({"log_history": falling + flat}))
    (found,) = diagnose(log=str(path), symptom=None, profile=None).symptoms
    assert found.symptom == "loss-flat" and 30_000 < found.step <= 40_001
    assert found.evidence.startswith("after falling from 5 at step 1, loss ")
    losses = [r["loss"] for r in falling + flat]
    assert abs(direct_trend(losses[found.step - 1 :])) < FLAT_MAX_CHANGE  # flat from there on...
    assert abs(direct_trend(losses[found.step - 2 :])) >= FLAT_MAX_CHANGE  # ...and not from one record earlier


def direct_trend(ys: list[float]) -> float:
    """The least-squares trend of ys (at steps 1, 2, ...), computed afresh."""
    xs = [float(x) for x in range(len(ys))]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope * (xs[-1] - xs[0]) / abs(mean_y)


def reference_flat(losses: list[float]) -> tuple[int, float] | None:
    """The flat search as first written (every stretch's trend computed afresh): quadratic, for small tests."""
    n = len(losses)
    if n < FLAT_MIN_RECORDS:
        return None
    for start in range(n - max(FLAT_MIN_RECORDS, math.ceil(n / 2)) + 1):
        change = direct_trend(losses[start:])
        if abs(change) < FLAT_MAX_CHANGE:
            return start + 1, change
    return None


@pytest.mark.parametrize("seed", range(30))
def test_the_linear_flat_search_matches_the_quadratic_one(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(10, 300)
    drop, noise = rng.uniform(0, 3), rng.uniform(0, 0.05)
    losses = [2.0 + drop * math.exp(-i / rng.uniform(5, 100)) + rng.uniform(-noise, noise) for i in range(n)]
    found = [s for s in detect(train_records(*losses)) if s.symptom == "loss-flat"]
    expected = reference_flat(losses)
    if expected is None:
        assert found == []
    else:
        (flat,) = found
        assert flat.step == expected[0] and f"trend {expected[1]:+.1%}" in flat.evidence


def test_the_grad_median_looks_back_a_bounded_window() -> None:
    """Grad norms that shrink a thousandfold over a long run: a spike is judged against the recent steps."""
    grads = [100.0] * 200 + [0.1] * 200 + [2.0]
    losses = [2.0] * len(grads)
    (found,) = detect(train_records(*losses, grad_norm=grads))
    assert (found.symptom, found.step) == ("loss-nan", 401)
    assert "20x the median 0.1 of the steps before" in found.evidence
    assert GRAD_WINDOW == 100


# ----------------------------------------------------------------------------------------- --profile


def write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "base_model: mistralai/Mistral-7B-v0.3\nadapter: lora\nmicro_batch_size: abc\n",
            "micro_batch_size",
        ),
        (
            "base_model: mistralai/Mistral-7B-v0.3\nadapter: lora\nlora_target_modules: [1]\n",
            "lora_target_modules",
        ),
        (
            "base_model: mistralai/Mistral-7B-v0.3\nadapter: lora\nmicro_batch_size: 0\n",
            "micro_batch_size",
        ),
        ('{"profile": {"batch_size": "abc"}}', "batch_size"),
        ('{"base_model": [1], "lora_r": 8}', "base_model"),
    ],
)
def test_wrongly_typed_profile_fields_are_named(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path / ("run.json" if text.startswith("{") else "run.yaml"), text)
    with pytest.raises(InputError) as info:
        load_profile(path)
    message = str(info.value)  # check's readers or diagnose's own field check: one line naming the key
    assert path in message and key in message and "\n" not in message, message
    assert not any(word in message for word in INTERNALS), message


def test_diagnoses_own_field_check_names_the_files_key() -> None:
    """Before any arithmetic, whatever check's readers let through: micro_batch_size, not batch_size."""
    renames = {"batch_size": "micro_batch_size", "target_modules": "lora_target_modules"}
    with pytest.raises(InputError, match=r'^--profile: run.yaml: micro_batch_size = "abc": Input should be a valid'):
        check_values({"batch_size": "abc"}, renames, "--profile", "run.yaml")
    with pytest.raises(InputError, match=r"^--profile: run.yaml: lora_target_modules\[1\] = a list: Input should be"):
        check_values({"target_modules": ["q_proj", 1]}, renames, "--profile", "run.yaml")
    with pytest.raises(InputError, match=r"lora_r = a number of about 401 digits: Input should be less than or equal"):
        check_values({"lora_r": 10**400}, renames, "--profile", "run.yaml")
    check_values({"target_modules": "all", "lora_r": "16", "unknown": object()}, renames, "--profile", "run.yaml")


def test_the_profile_says_which_training_path_the_run_took() -> None:
    example = ROOT / "examples" / "medium-7b-12gb"
    assert load_profile(str(example / "suggest.json")).framework == "peft"
    assert load_profile(str(example / "axolotl.yaml")).framework == "axolotl"
    assert load_profile(str(example / "train_unsloth.py")).framework == "unsloth"
    assert load_profile(str(example / "train.py")).framework == "peft"
    run = load_profile(str(example / "axolotl.yaml"))
    # The example's Axolotl profile chunks its loss, so the fitter grew its micro-batch back to 4.
    assert run.profile.batch_size == 4 and run.profile.quantization == "4bit"
    assert run.profile.chunked_cross_entropy is True


# ------------------------------------------------------------------------------------- real run, again


@pytest.mark.integration
def test_a_fresh_diverging_run_is_still_diagnosed(tmp_path: Path) -> None:
    """Train the NaN run again with today's pinned stack: the committed fixture is still what it produces."""
    if not TRAIN_PY.exists():
        message = f"{TRAIN_PY} missing: run ci/toolenvs.sh"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "tools" / "make_logs.py"),
            "--only",
            "nan",
            "--out",
            str(tmp_path / "logs"),
            "--work",
            str(tmp_path / "work"),
            "--train-python",
            str(TRAIN_PY),
            "--ftguide-python",
            sys.executable,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    fresh = read_log(str(tmp_path / "logs" / "nan_trainer_state.json"))
    assert [(s.symptom, s.step) for s in detect(fresh)] == [("loss-nan", 3)]
    assert [(s.symptom, s.step) for s in detect(read_log(str(tmp_path / "logs" / "nan.log")))] == [("loss-nan", 3)]
    committed = read_log(str(LOGS / "nan_trainer_state.json"))
    assert [sorted(r) for r in fresh] == [sorted(r) for r in committed]
