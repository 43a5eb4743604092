"""Diagnose a fine-tuning run: read its log, name what went wrong, and prescribe profile changes.

Three steps, each usable alone:

* ``read_log`` turns a Hugging Face ``trainer_state.json``, a JSONL file of log dicts, or a console log as
  Transformers, TRL and Axolotl print it (lines holding ``{'loss': '5.445', 'grad_norm': ...}``) into a list of
  records: ``step`` plus whichever of ``loss``, ``eval_loss``, ``grad_norm``, ``learning_rate`` and ``epoch``
  the record has.  Dicts are parsed with ``json`` and ``ast.literal_eval``, never executed.
* ``detect`` finds the symptoms in the records (and in generated texts, when given).
* ``prescribe`` turns a symptom into changes with new values computed from a ``Profile``, following the
  guide's "Common Issues and Fixes" tables, its "Overfitting Signs" and its "Early Stopping" section.

``diagnose`` runs the three and returns one ``Diagnosis``; the same input always gives the same output.

Detection thresholds (each a plain number below, so a test can quote it):

* loss-nan: the first non-finite ``loss``, ``grad_norm`` or ``eval_loss``; or the loss "exploding": above 3x
  its minimum so far (and at least 1.0 above it), or ``grad_norm`` at 10x or more the median of the steps
  before (with at least two steps before).
* loss-flat: at least 10 training records, and a stretch covering the last 10 records and the last half of
  the run whose least-squares trend moves the loss by less than 2% either way (a loss that rises more is not
  flat, and is loss-nan once it explodes).  Not reported together with loss-nan: a diverged run that has gone
  flat needs a smaller learning rate, not a larger one.
* overfitting: at least two evaluations after the lowest ``eval_loss``, the last one 2% or more above it,
  while the training loss from that step on trends down.
* oom: a console log line reporting an out-of-memory error (``torch.OutOfMemoryError``, ``CUDA out of
  memory``, ...).
* garbage (generated texts only): a text whose most common word trigram occurs 4 or more times, or (from
  10 words up) whose distinct words are under 30% of its words; or every text empty.
"""

from __future__ import annotations

import ast
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ftguide.catalog import Architecture, resolve_model
from ftguide.errors import InputError
from ftguide.models import Profile
from ftguide.rules.lora import lr_range

__all__ = ["SYMPTOMS", "Change", "Diagnosis", "Symptom", "detect", "diagnose", "prescribe", "read_log"]

SymptomId = Literal["loss-flat", "loss-nan", "garbage", "oom", "overfitting"]

SYMPTOMS: tuple[SymptomId, ...] = ("loss-flat", "loss-nan", "garbage", "oom", "overfitting")
"""The public symptom ids (also the values of ``ftguide diagnose --symptom``)."""
Source = Literal["log", "samples", "symptom", "log+symptom", "samples+symptom"]

PRIORITY: tuple[SymptomId, ...] = ("loss-nan", "oom", "overfitting", "garbage", "loss-flat")
"""Order of symptoms in a diagnosis, most urgent first; where two prescribe the same field, the first wins."""

EXPLODE_RATIO = 3.0
EXPLODE_MIN_RISE = 1.0
GRAD_SPIKE_RATIO = 10.0
FLAT_MIN_RECORDS = 10
FLAT_MAX_CHANGE = 0.02
OVERFIT_MIN_RISE = 0.02
REPEAT_NGRAM = 3
REPEAT_COUNT = 4
DISTINCT_MIN_RATIO = 0.3
DISTINCT_MIN_WORDS = 10

MAX_LOG_BYTES = 256 * 1024 * 1024
"""Largest log file read."""

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)

_FIELDS = ("step", "loss", "eval_loss", "grad_norm", "learning_rate", "epoch")
_ALIASES = {
    "global_step": "step",
    "train/global_step": "step",
    "train/loss": "loss",
    "eval/loss": "eval_loss",
    "train/grad_norm": "grad_norm",
    "train/learning_rate": "learning_rate",
    "train/epoch": "epoch",
}
_DICT_IN_LINE = re.compile(r"\{[^{}\n]{1,20000}\}")
_BARE_NONFINITE = re.compile(r"([:,\[]\s*)(-?(?:nan|inf))(?=\s*[,}\]])")
_WORD = re.compile(r"\w+|[^\w\s]")
_OOM = re.compile(r"OutOfMemoryError|(?:CUDA|HIP|XPU|MPS backend|CUDA error:) out of memory|can't allocate memory")
_EXPECTED = "a trainer_state.json, a JSONL file of log dicts, or a console log with {'loss': ...} lines"

_SHOWN_IN_LOGS = ("loss-flat", "loss-nan", "overfitting")

_MLP_NAMES = frozenset(
    {"gate_proj", "up_proj", "down_proj", "gate_up_proj", "w1", "w2", "w3", "fc1", "fc2", "c_fc", "mlp"}
    | {"dense_h_to_4h", "dense_4h_to_h"}
)
_MIN_NAMES = frozenset({"q_proj", "v_proj", "qkv_proj", "query_key_value", "c_attn", "Wqkv", "query", "value"})


class Symptom(BaseModel):
    """One problem found in a run (or reported by the user)."""

    model_config = _FROZEN

    symptom: SymptomId
    """One of SYMPTOMS."""
    step: int | None
    """Where it shows: the first bad step (loss-nan), where the loss flattened (loss-flat), the best evaluation
    (overfitting); null for generated texts and reported symptoms."""
    evidence: str
    """What was seen, with the numbers."""
    epoch: float | None = None
    """The epoch at ``step`` when the log has it (for overfitting: the epoch of the best evaluation)."""


class Change(BaseModel):
    """One change to the profile, or one thing to check (for fields that are not profile settings)."""

    model_config = _FROZEN

    field: str
    """A Profile field, or ``data``, ``chat_template``, ``eos_token`` for checks outside the numbers."""
    current: Any
    """The profile's value; null without a profile or for a check."""
    recommended: Any
    """The new value; without a profile, the direction (``×2``, ``×0.5``); for a check, what to verify."""
    reason: str
    """The guide's row behind the change (``guide: <table> → <cause> → <fix>``), or ftguide's own reason."""


class Diagnosis(BaseModel):
    """What ``ftguide diagnose`` found and what it recommends."""

    model_config = _FROZEN

    symptoms: list[Symptom]
    """Detected and reported symptoms, most urgent first (loss-nan, oom, overfitting, garbage, loss-flat)."""
    changes: list[Change]
    """The prescriptions of every symptom in that order, one per field (the more urgent symptom's wins)."""
    source: Source
    """What the diagnosis rests on: a log (``log``), generated texts alone (``samples``), a symptom the user
    named (``symptom``), or both (``log+symptom``, ``samples+symptom``)."""


# ------------------------------------------------------------------------------------------------ reading


def read_log(path: str) -> list[dict[str, Any]]:
    """The training and evaluation records of a log file (or of a training output folder).

    Each record has ``step`` (int) and, as floats, whichever of ``loss``, ``eval_loss``, ``grad_norm``,
    ``learning_rate`` and ``epoch`` it logged (``nan`` and ``inf`` kept).  Steps come from the records; where
    a record has none (console logs), training records are counted in order and an evaluation takes the step
    of the training record before it.  Records with neither ``loss`` nor ``eval_loss`` (the final summary)
    are left out.  In a console log, the first line reporting an out-of-memory error becomes a record
    ``{"step", "error"}`` (the line, shortened).  A folder is read as its ``trainer_state.json`` or its newest
    checkpoint's.
    """
    file = Path(path)
    if file.is_dir():
        file = _state_in_folder(file, path)
    try:
        size = file.stat().st_size
        if size > MAX_LOG_BYTES:
            raise InputError(f"--log: {path} is larger than {MAX_LOG_BYTES // 1024 // 1024} MiB")
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"--log: {path}: no such file (expected {_EXPECTED})") from None
    except OSError as exc:
        raise InputError(f"--log: {path}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"--log: {path} is empty (expected {_EXPECTED})")
    dicts, json_error = _json_document(text)
    if dicts is None:
        dicts = list(_dicts_in_lines(text))
    records = _records(dicts)
    if not records:
        why = f"not valid JSON ({json_error})" if json_error and file.suffix.lower() == ".json" else "no records"
        raise InputError(f"--log: {path}: {why} with loss or eval_loss (expected {_EXPECTED})")
    return records


def _state_in_folder(folder: Path, given: str) -> Path:
    if (folder / "trainer_state.json").is_file():
        return folder / "trainer_state.json"
    numbered = {}
    for state in folder.glob("checkpoint-*/trainer_state.json"):
        number = state.parent.name.removeprefix("checkpoint-")
        if number.isdigit():
            numbered[int(number)] = state
    if not numbered:
        raise InputError(f"--log: {given} is a folder without a trainer_state.json or checkpoint-*/ holding one")
    return numbered[max(numbered)]


def _json_document(text: str) -> tuple[list[Any] | None, str | None]:
    """The log dicts of a whole-file JSON document, or (None, why) when the file is not one."""
    if text.lstrip()[:1] not in ("{", "["):
        return None, None
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return None, str(exc).split("\n")[0]
    if isinstance(document, dict) and isinstance(document.get("log_history"), list):
        return document["log_history"], None
    if isinstance(document, list):
        return document, None
    return [document], None


class _OutOfMemory(str):
    """The first out-of-memory error line of a console log, in the stream of log dicts."""


def _dicts_in_lines(text: str) -> Iterable[dict[str, Any] | _OutOfMemory]:
    """Dicts in a JSONL file or a console log: a whole-line JSON object, else every flat ``{...}`` in a line;
    plus the first line that reports running out of memory."""
    oom_seen = False
    for line in text.split("\n"):
        stripped = line.strip()
        if not oom_seen and _OOM.search(stripped) and not stripped.startswith("{"):
            oom_seen = True
            yield _OutOfMemory(stripped[:300])
            continue
        if stripped.startswith("{") and stripped.endswith("}"):
            whole = _parse_dict(stripped)
            if whole is not None:
                yield whole
                continue
        for match in _DICT_IN_LINE.finditer(line):
            found = _parse_dict(match.group())
            if found is not None:
                yield found


def _parse_dict(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        try:  # a Python repr: quote bare nan / inf, which literal_eval does not accept
            value = ast.literal_eval(_BARE_NONFINITE.sub(r"\1'\2'", text))
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    return value if isinstance(value, dict) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _records(dicts: Iterable[Any]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    step = 0
    for raw in dicts:
        if isinstance(raw, _OutOfMemory):
            records.append({"step": step, "error": str(raw)})
            continue
        if not isinstance(raw, dict):
            continue
        values: dict[str, float] = {}
        for key, value in raw.items():
            name = _ALIASES.get(str(key), str(key))
            number = _number(value)
            if name in _FIELDS and name not in values and number is not None:
                values[name] = number
        if "loss" not in values and "eval_loss" not in values:
            continue
        logged = values.pop("step", None)
        if logged is not None and math.isfinite(logged) and logged >= 0:
            step = int(logged)
        elif "loss" in values:
            step += 1
        records.append({"step": step, **{k: values[k] for k in _FIELDS[1:] if k in values}})
    return records


# ---------------------------------------------------------------------------------------------- detecting


def detect(records: list[dict[str, Any]], samples: list[str] | None = None) -> list[Symptom]:
    """The symptoms in a run's records (as ``read_log`` returns them) and in generated texts, most urgent first."""
    train = _series(records, "loss")
    nan = _loss_nan(records, train)
    found = [
        _out_of_memory(records),
        nan,
        _overfitting(records, train),
        _garbage(samples) if samples is not None else None,
        _flat(train) if nan is None else None,
    ]
    return _by_priority(s for s in found if s is not None)


def _value(record: dict[str, Any], key: str) -> float | None:
    return _number(record.get(key))


def _series(records: Sequence[dict[str, Any]], key: str) -> list[tuple[int, float, float | None]]:
    """(step, value, epoch) of the records with a finite ``key``."""
    out = []
    for r in records:
        value = _value(r, key)
        if value is not None and math.isfinite(value):
            out.append((int(r.get("step") or 0), value, _value(r, "epoch")))
    return out


def _fmt(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else str(value)


def _out_of_memory(records: Sequence[dict[str, Any]]) -> Symptom | None:
    for r in records:
        if isinstance(r.get("error"), str):
            step = int(r.get("step") or 0)
            where = f"after step {step}" if step else "before the first logged step"
            evidence = f"the run ran out of memory {where}: {_excerpt(r['error'], 120)}"
            return Symptom(symptom="oom", step=step or None, evidence=evidence)
    return None


def _loss_nan(records: Sequence[dict[str, Any]], train: list[tuple[int, float, float | None]]) -> Symptom | None:
    first_bad: tuple[int, str] | None = None
    for r in records:
        for key in ("loss", "grad_norm", "eval_loss"):
            value = _value(r, key)
            if value is not None and not math.isfinite(value):
                step = int(r.get("step") or 0)
                text = f"{key} is {value} at step {step}"
                before = [(s, v) for s, v, _ in train if s < step]
                if before:
                    text += f" (loss {_fmt(before[-1][1])} at step {before[-1][0]})"
                if key == "grad_norm" and _value(r, "loss") == 0.0:
                    text += "; the loss of 0 beside it is the Trainer's filter for non-finite losses"
                first_bad = (step, text)
                break
        if first_bad:
            break
    exploding = _exploding(train, _series(records, "grad_norm"))
    events = [e for e in (exploding, first_bad) if e is not None]
    if not events:
        return None
    step = min(s for s, _ in events)
    parts = []
    if exploding:
        parts.append(f"exploding: {exploding[1]}")
    if first_bad:
        parts.append(first_bad[1])
    elif exploding:
        parts.append("no NaN logged yet")
    return Symptom(symptom="loss-nan", step=step, evidence="; ".join(parts), epoch=_epoch_at(records, step))


def _exploding(
    train: list[tuple[int, float, float | None]], grads: list[tuple[int, float, float | None]]
) -> tuple[int, str] | None:
    events: list[tuple[int, str]] = []
    low: tuple[int, float] | None = None
    for step, loss, _ in train:
        if low is not None and low[1] > 0 and loss > EXPLODE_RATIO * low[1] and loss - low[1] >= EXPLODE_MIN_RISE:
            events.append((step, f"loss rose from {_fmt(low[1])} at step {low[0]} to {_fmt(loss)} at step {step}"))
            break
        if low is None or loss < low[1]:
            low = (step, loss)
    before: list[float] = []
    for step, grad, _ in grads:
        if len(before) >= 2:
            median = statistics.median(before)
            if median > 0 and grad >= GRAD_SPIKE_RATIO * median:
                events.append(
                    (
                        step,
                        f"grad_norm jumped to {_fmt(grad)} at step {step}, "
                        f"{grad / median:.0f}x the median {_fmt(median)} of the steps before",
                    )
                )
                break
        if grad > 0:
            before.append(grad)
    return min(events) if events else None


def _trend(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares change from the first to the last point, relative to the mean (-0.05 is 5% down)."""
    xs = [float(s) for s, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0 or mean_y == 0:
        return 0.0
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope * (xs[-1] - xs[0]) / abs(mean_y)


def _flat(train: list[tuple[int, float, float | None]]) -> Symptom | None:
    points = [(s, v) for s, v, _ in train]
    n = len(points)
    if n < FLAT_MIN_RECORDS:
        return None
    shortest = max(FLAT_MIN_RECORDS, math.ceil(n / 2))
    for start in range(n - shortest + 1):
        stretch = points[start:]
        change = _trend(stretch)
        if abs(change) < FLAT_MAX_CHANGE:
            (first_step, first), (last_step, last) = stretch[0], stretch[-1]
            text = (
                f"loss {_fmt(first)} at step {first_step} → {_fmt(last)} at step {last_step}: "
                f"trend {change:+.1%} over the last {len(stretch)} records (under {FLAT_MAX_CHANGE:.0%} either way)"
            )
            if start > 0:
                moved = "falling" if points[0][1] > first else "rising"
                text = f"after {moved} from {_fmt(points[0][1])} at step {points[0][0]}, " + text
            return Symptom(symptom="loss-flat", step=first_step, evidence=text, epoch=train[start][2])
    return None


def _overfitting(records: Sequence[dict[str, Any]], train: list[tuple[int, float, float | None]]) -> Symptom | None:
    evals = _series(records, "eval_loss")
    if len(evals) < 3:
        return None
    best = min(range(len(evals)), key=lambda i: evals[i][1])
    best_step, best_loss, best_epoch = evals[best]
    last_step, last_loss, _ = evals[-1]
    if len(evals) - best - 1 < 2 or last_loss < best_loss * (1 + OVERFIT_MIN_RISE):
        return None
    since = [(s, v) for s, v, _ in train if s >= best_step]
    at_best = [(s, v) for s, v, _ in train if s <= best_step]
    if at_best:
        since.insert(0, at_best[-1])
    since = list(dict.fromkeys(since))
    if len(since) < 2 or _trend(since) >= 0 or since[-1][1] >= since[0][1]:
        return None
    evidence = (
        f"eval_loss rose from {_fmt(best_loss)} at step {best_step} to {_fmt(last_loss)} at step {last_step} "
        f"({last_loss / best_loss - 1:+.0%}) while loss fell {_fmt(since[0][1])} → {_fmt(since[-1][1])}"
    )
    return Symptom(symptom="overfitting", step=best_step, evidence=evidence, epoch=best_epoch)


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return json.dumps(flat if len(flat) <= limit else flat[:limit] + "…", ensure_ascii=False)


def _repetition(text: str) -> str | None:
    """Why a generated text looks degenerate, or None."""
    words = _WORD.findall(text.lower())
    grams = Counter(tuple(words[i : i + REPEAT_NGRAM]) for i in range(len(words) - REPEAT_NGRAM + 1))
    if grams:
        gram, count = grams.most_common(1)[0]
        if count >= REPEAT_COUNT:
            return f"repeats {json.dumps(' '.join(gram), ensure_ascii=False)} {count} times"
    if len(words) >= DISTINCT_MIN_WORDS and len(set(words)) / len(words) < DISTINCT_MIN_RATIO:
        return f"has {len(set(words))} distinct words in {len(words)}"
    return None


def _garbage(samples: Sequence[str]) -> Symptom | None:
    if not samples:
        return None
    if all(not s.strip() for s in samples):
        evidence = f"all {len(samples)} samples are empty: the model ends at once"
        return Symptom(symptom="garbage", step=None, evidence=evidence)
    bad = [(i, s, why) for i, s in enumerate(samples, 1) if (why := _repetition(s))]
    if not bad:
        return None
    i, text, why = bad[0]
    evidence = f"{len(bad)} of {len(samples)} samples are repetitive; sample {i} {why}: {_excerpt(text)}"
    return Symptom(symptom="garbage", step=None, evidence=evidence)


def _epoch_at(records: Sequence[dict[str, Any]], step: int) -> float | None:
    for r in records:
        if int(r.get("step") or 0) == step and _value(r, "epoch") is not None:
            return _value(r, "epoch")
    return None


def _by_priority(symptoms: Iterable[Symptom]) -> list[Symptom]:
    return sorted(symptoms, key=lambda s: PRIORITY.index(s.symptom))


# -------------------------------------------------------------------------------------------- prescribing


def _symptom_id(value: str) -> SymptomId:
    key = value.strip().lower()
    for known in SYMPTOMS:
        if key == known:
            return known
    raise InputError(f"--symptom: unknown symptom {value!r} (one of {', '.join(SYMPTOMS)})")


def _lr(value: float) -> float:
    """Two significant digits, as ftguide prints learning rates."""
    return float(f"{value:.2g}")


def _architecture(profile: Profile) -> Architecture | None:
    try:
        return resolve_model(profile.base_model)
    except InputError:
        return None


def _chat_template(profile: Profile | None, reason: str) -> Change:
    if profile is None:
        what = "the base model's own prompt / chat format, the same in training and at inference"
        return Change(field="chat_template", current=None, recommended=what, reason=reason)
    if profile.dataset_format in ("messages", "sharegpt"):
        what = "the base model's own chat template (null uses the tokenizer's); never another family's"
    else:
        what = f"prompt at inference exactly as the {profile.dataset_format} rows were formatted in training"
    return Change(field="chat_template", current=profile.chat_template, recommended=what, reason=reason)


def _fewer_epochs(profile: Profile | None, best_epoch: float | None, reason: str) -> Change | None:
    target = max(1.0, round(best_epoch, 1)) if best_epoch is not None else None
    if profile is None:
        recommended: Any = target if target is not None else "one fewer (at least 1)"
        return Change(field="num_epochs", current=None, recommended=recommended, reason=reason)
    if target is not None and target < profile.num_epochs:
        return Change(
            field="num_epochs",
            current=profile.num_epochs,
            recommended=target,
            reason=f"{reason} (to epoch {target:g}, where eval_loss was lowest)",
        )
    if profile.num_epochs > 1:
        fewer = max(1.0, profile.num_epochs - 1)
        return Change(field="num_epochs", current=profile.num_epochs, recommended=fewer, reason=reason)
    return None


def _more_dropout(profile: Profile | None, reason: str) -> Change | None:
    if profile is None:
        return Change(field="lora_dropout", current=None, recommended="+0.05 (at most 0.2)", reason=reason)
    if profile.lora_dropout >= 0.2:
        return None
    higher = round(min(0.2, profile.lora_dropout + 0.05), 3)
    return Change(field="lora_dropout", current=profile.lora_dropout, recommended=higher, reason=reason)


def _loss_flat_changes(profile: Profile | None, _epoch: float | None) -> list[Change | None]:
    lr_reason = "guide: Loss Not Decreasing → LR too low → increase learning rate"
    rank_reason = "guide: Loss Not Decreasing → Rank too low → increase LoRA rank"
    changes: list[Change | None] = []
    if profile is None:
        changes += [
            Change(field="learning_rate", current=None, recommended="×2", reason=lr_reason),
            Change(field="lora_r", current=None, recommended="×2", reason=rank_reason),
            Change(field="lora_alpha", current=None, recommended="×2", reason=f"{rank_reason} (keep alpha / r)"),
        ]
    else:
        lr = profile.learning_rate
        target = 2 * lr
        arch = _architecture(profile)
        if arch is not None:
            low, high = lr_range(arch.params_b)
            target = min(max(target, low), high)
            lr_reason += f" (×2, within {low:.1e} to {high:.1e}, the guide's LoRA range for {arch.params_b:g}B)"
        else:
            lr_reason += " (×2)"
        if _lr(target) > lr:
            changes.append(Change(field="learning_rate", current=lr, recommended=_lr(target), reason=lr_reason))
        r = min(4096, 2 * profile.lora_r)
        if r > profile.lora_r:
            alpha = min(16384, round(profile.lora_alpha * r / profile.lora_r))
            ratio = f"alpha / r stays {profile.lora_alpha / profile.lora_r:g}"
            changes += [
                Change(field="lora_r", current=profile.lora_r, recommended=r, reason=f"{rank_reason} (×2)"),
                Change(
                    field="lora_alpha", current=profile.lora_alpha, recommended=alpha, reason=f"{rank_reason}: {ratio}"
                ),
            ]
    changes += [
        Change(
            field="data",
            current=None,
            recommended="read a few rows as the model sees them after formatting: complete, correct answers, "
            "and the loss on the response",
            reason="guide: Loss Not Decreasing → Bad data → check data quality",
        ),
        _chat_template(profile, "guide: Loss Not Decreasing → Wrong format → verify chat template"),
    ]
    return changes


def _loss_nan_changes(profile: Profile | None, _epoch: float | None) -> list[Change | None]:
    lr_reason = "guide: Loss Explodes (NaN) → LR too high → reduce learning rate (halved)"
    warmup_reason = "guide: Loss Explodes (NaN) → No warmup → add warmup steps (at least 5% of the steps)"
    dtype_reason = "guide: Loss Explodes (NaN) → Mixed precision issue → try different dtype"
    clip_reason = "ftguide: clip gradients at 1.0 (the Trainer's default) so one bad batch cannot blow up the weights"
    if profile is None:
        return [
            Change(field="learning_rate", current=None, recommended="×0.5", reason=lr_reason),
            Change(field="warmup_ratio", current=None, recommended="at least 0.05", reason=warmup_reason),
            Change(field="precision", current=None, recommended="bf16 if the run used fp16", reason=dtype_reason),
            Change(field="max_grad_norm", current=None, recommended=1.0, reason=clip_reason),
        ]
    changes: list[Change | None] = [
        Change(
            field="learning_rate",
            current=profile.learning_rate,
            recommended=_lr(profile.learning_rate / 2),
            reason=lr_reason,
        )
    ]
    if profile.warmup_ratio < 0.05:
        changes.append(
            Change(field="warmup_ratio", current=profile.warmup_ratio, recommended=0.05, reason=warmup_reason)
        )
    if profile.precision == "fp16":
        why = f"{dtype_reason} (bf16 has fp32's range; it needs an Ampere or newer GPU)"
        changes.append(Change(field="precision", current="fp16", recommended="bf16", reason=why))
    else:
        keep = "keep bf16; if NaN persists, run a few steps in fp32 to rule the dtype out"
        changes.append(Change(field="precision", current=profile.precision, recommended=keep, reason=dtype_reason))
    if profile.max_grad_norm > 1.0:
        changes.append(
            Change(field="max_grad_norm", current=profile.max_grad_norm, recommended=1.0, reason=clip_reason)
        )
    return changes


def _garbage_changes(profile: Profile | None, _epoch: float | None) -> list[Change | None]:
    overfit = "guide: Model Outputs Garbage → Severe overfitting → reduce epochs, add dropout"
    eos = (
        "end every training example with the tokenizer's eos_token and check tokenizer_config.json sets it "
        "(a pad_token equal to eos_token can mask it out of the labels)"
    )
    return [
        _chat_template(profile, "guide: Model Outputs Garbage → Wrong chat template → match base model format"),
        Change(
            field="eos_token",
            current=None,
            recommended=eos,
            reason="guide: Model Outputs Garbage → EOS token issue → verify tokenizer config",
        ),
        _fewer_epochs(profile, None, overfit),
        _more_dropout(profile, overfit),
    ]


def _fewer_targets(profile: Profile) -> tuple[list[str], str] | None:
    current = profile.target_modules
    arch = _architecture(profile)
    if arch is not None and set(current) <= set(arch.all_modules):
        mlp = [m for m in current if m in arch.mlp_modules]
        minimum = [m for m in current if m in arch.min_modules] or list(arch.min_modules)
    else:
        mlp = [m for m in current if m in _MLP_NAMES]
        minimum = [m for m in current if m in _MIN_NAMES]
    rest = [m for m in current if m not in mlp]
    if mlp and rest:
        return rest, "drop the MLP projections first"
    if minimum and len(minimum) < len(current):
        return minimum, "keep the guide's minimum, the query and value projections"
    return None


def _oom_changes(profile: Profile | None, _epoch: float | None) -> list[Change | None]:
    batch_reason = "guide: Out of Memory → Batch too large → reduce batch, increase accum"
    seq_reason = "guide: Out of Memory → Sequence too long → reduce max_seq_length (not below 512)"
    target_reason = "guide: Out of Memory → Too many target modules → reduce targets"
    gc_reason = "guide: Reducing VRAM Usage → 1. enable gradient checkpointing"
    quant_reason = "guide: Reducing VRAM Usage → 3. use 4-bit quantization (QLoRA)"
    if profile is None:
        return [
            Change(field="batch_size", current=None, recommended="×0.5", reason=batch_reason),
            Change(field="gradient_accumulation_steps", current=None, recommended="×2", reason=batch_reason),
            Change(field="max_seq_length", current=None, recommended="×0.5, not below 512", reason=seq_reason),
            Change(
                field="target_modules",
                current=None,
                recommended="attention only (drop the MLP), then the query and value projections",
                reason=target_reason,
            ),
            Change(field="gradient_checkpointing", current=None, recommended=True, reason=gc_reason),
            Change(field="quantization", current=None, recommended="4bit", reason=quant_reason),
        ]
    changes: list[Change | None] = []
    batch = profile.batch_size
    if batch > 1:
        smaller = max(d for d in range(1, batch // 2 + 1) if batch % d == 0)
        accum = profile.gradient_accumulation_steps * (batch // smaller)
        kept = f" (the effective batch stays {profile.effective_batch_size})"
        changes += [
            Change(field="batch_size", current=batch, recommended=smaller, reason=batch_reason + kept),
            Change(
                field="gradient_accumulation_steps",
                current=profile.gradient_accumulation_steps,
                recommended=accum,
                reason=batch_reason + kept,
            ),
        ]
    if profile.max_seq_length > 512:
        shorter = max(512, profile.max_seq_length // 2)
        changes.append(
            Change(field="max_seq_length", current=profile.max_seq_length, recommended=shorter, reason=seq_reason)
        )
    fewer = _fewer_targets(profile)
    if fewer is not None:
        modules, how = fewer
        changes.append(
            Change(
                field="target_modules",
                current=list(profile.target_modules),
                recommended=modules,
                reason=f"{target_reason} ({how})",
            )
        )
    if not profile.gradient_checkpointing:
        changes.append(Change(field="gradient_checkpointing", current=False, recommended=True, reason=gc_reason))
    if profile.quantization != "4bit":
        changes.append(
            Change(field="quantization", current=profile.quantization, recommended="4bit", reason=quant_reason)
        )
    return changes


def _overfitting_changes(profile: Profile | None, best_epoch: float | None) -> list[Change | None]:
    signs = "guide: Overfitting Signs → validation loss rises while training loss falls"
    lr_reason = "ftguide: smaller updates memorise more slowly (the guide's fixes are fewer epochs and more dropout)"
    stop_reason = "guide: Early Stopping → stop after 3 evaluations without improvement"
    changes: list[Change | None] = [
        _fewer_epochs(profile, best_epoch, f"{signs}; Severe overfitting → reduce epochs"),
        _more_dropout(profile, f"{signs}; Dropout prevents overfitting → add dropout (+0.05, at most 0.2)"),
    ]
    if profile is None:
        changes += [
            Change(field="early_stopping_patience", current=None, recommended=3, reason=stop_reason),
            Change(field="learning_rate", current=None, recommended="×0.5", reason=lr_reason),
        ]
        return changes
    if profile.early_stopping_patience is None:
        changes.append(Change(field="early_stopping_patience", current=None, recommended=3, reason=stop_reason))
    changes.append(
        Change(
            field="learning_rate",
            current=profile.learning_rate,
            recommended=_lr(profile.learning_rate / 2),
            reason=lr_reason,
        )
    )
    return changes


_PRESCRIBERS: dict[str, Callable[[Profile | None, float | None], list[Change | None]]] = {
    "loss-flat": _loss_flat_changes,
    "loss-nan": _loss_nan_changes,
    "garbage": _garbage_changes,
    "oom": _oom_changes,
    "overfitting": _overfitting_changes,
}


def prescribe(symptom: str | Symptom, profile: Profile | None) -> list[Change]:
    """The guide's fixes for one symptom, with new values computed from ``profile``.

    ``symptom`` is an id from SYMPTOMS or a detected Symptom (an overfitting Symptom carries the epoch of the
    best evaluation, which sets the new ``num_epochs``).  Without a profile every change still names its field
    and direction, with ``current`` null.  Changes the profile already satisfies are left out.
    """
    if isinstance(symptom, Symptom):
        sid, epoch = symptom.symptom, symptom.epoch if symptom.symptom == "overfitting" else None
    else:
        sid, epoch = _symptom_id(symptom), None
    return [c for c in _PRESCRIBERS[sid](profile, epoch) if c is not None]


# ---------------------------------------------------------------------------------------------- diagnosing


def diagnose(
    *, log: str | None, symptom: str | None, profile: Profile | None, samples: list[str] | None = None
) -> Diagnosis:
    """Detect symptoms in ``log`` (and ``samples``), add the reported ``symptom``, and prescribe for each.

    A reported symptom the log also shows is listed once, with the log's evidence.  Prescriptions follow the
    symptoms' order (PRIORITY); where two symptoms change the same field, the more urgent one's change is kept.
    """
    if log is None and symptom is None and samples is None:
        raise InputError("diagnose: give --log, --symptom or both")
    reported = _symptom_id(symptom) if symptom is not None else None
    found = detect(read_log(log) if log is not None else [], samples)
    if reported is not None and all(s.symptom != reported for s in found):
        evidence = "reported with --symptom"
        if log is not None and reported in _SHOWN_IN_LOGS:
            evidence += "; the log shows no sign of it"
        elif samples and reported == "garbage":
            evidence += "; the samples given show no repetition"
        found.append(Symptom(symptom=reported, step=None, evidence=evidence))
    symptoms = _by_priority(found)
    changes: list[Change] = []
    fields: set[str] = set()
    for item in symptoms:
        for change in prescribe(item, profile):
            if change.field not in fields:
                fields.add(change.field)
                changes.append(change)
    source: Source
    if log is not None:
        source = "log+symptom" if reported else "log"
    elif samples is not None:
        source = "samples+symptom" if reported else "samples"
    else:
        source = "symptom"
    return Diagnosis(symptoms=symptoms, changes=changes, source=source)
