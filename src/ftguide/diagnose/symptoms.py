"""Detecting what went wrong in a run: one pass over its records, then linear passes over compact series.

Thresholds (each a plain number below, so a test can quote it):

* loss-nan: the first non-finite ``loss``, ``grad_norm`` or ``eval_loss``; or the loss "exploding": above 3x
  its minimum so far (and at least 1.0 above it), or ``grad_norm`` at 10x or more the median of the steps
  before (with at least two before; in a long run, of the latest complete block of ``GRAD_WINDOW`` of them).
* loss-flat: at least 10 training records, and a stretch covering the last 10 records and the last half of
  the run whose least-squares trend moves the loss by less than 2% either way (a loss that rises more is not
  flat, and is loss-nan once it explodes).  Not reported together with loss-nan: a diverged run that has gone
  flat needs a smaller learning rate, not a larger one.
* overfitting: at least two evaluations after the lowest ``eval_loss``, the last one 2% or more above it,
  while the training loss from that step on trends down.
* oom: a console log line reporting an out-of-memory error (``torch.OutOfMemoryError``, ``CUDA out of
  memory``, ...); the GPU's size and the missing memory are read from it when PyTorch states them.
* garbage (generated texts only): a text whose most common word trigram occurs 4 or more times, or (from
  10 words up) whose distinct words are under 30% of its words; or every text empty.

Every pass is linear in the number of records: the flat search keeps running sums from the end, the
gradient median is taken over a bounded window.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from bisect import insort
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ftguide.diagnose.logs import Row

SymptomId = Literal["loss-flat", "loss-nan", "garbage", "oom", "overfitting"]

SYMPTOMS: tuple[SymptomId, ...] = ("loss-flat", "loss-nan", "garbage", "oom", "overfitting")
"""The public symptom ids (also the values of ``ftguide diagnose --symptom``)."""

PRIORITY: tuple[SymptomId, ...] = ("loss-nan", "oom", "overfitting", "garbage", "loss-flat")
"""Order of symptoms in a diagnosis, most urgent first; where two prescribe the same field, the first wins."""

EXPLODE_RATIO = 3.0
EXPLODE_MIN_RISE = 1.0
GRAD_SPIKE_RATIO = 10.0
GRAD_WINDOW = 100
"""Past this many logged grad norms, a step's median is that of the latest complete block of this many."""
FLAT_MIN_RECORDS = 10
FLAT_MAX_CHANGE = 0.02
OVERFIT_MIN_RISE = 0.02
REPEAT_NGRAM = 3
REPEAT_COUNT = 4
DISTINCT_MIN_RATIO = 0.3
DISTINCT_MIN_WORDS = 10

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)
_WORD = re.compile(r"\w+|[^\w\s]")
_UNIT_GIB = {"B": 1 / 1024**3, "KiB": 1 / 1024**2, "MiB": 1 / 1024, "GiB": 1.0, "TiB": 1024.0}
_SIZE = r"([0-9]+(?:\.[0-9]+)?) (B|KiB|MiB|GiB|TiB)"
_TOTAL = re.compile(rf"total capacity of {_SIZE}|{_SIZE} total capacity")
_TRIED = re.compile(rf"Tried to allocate {_SIZE}")
_FREE = re.compile(rf"of which {_SIZE} is free|{_SIZE} free")


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
    gpu_memory_gib: float | None = None
    """oom: the GPU's total memory, as the error reported it."""
    missing_gib: float | None = None
    """oom: what the failed allocation lacked (its size less the free memory), as the error reported it."""


class Run:
    """The series detection reads, collected in one pass over a run's Rows."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.train_steps = array("q")
        self.train_loss = array("d")
        self.train_epoch = array("d")
        """NaN where the record had no (finite) epoch."""
        self.grad_steps = array("q")
        self.grads = array("d")
        self.eval_steps = array("q")
        self.evals = array("d")
        self.eval_epoch = array("d")
        self.steps = array("q")
        """Every record's step, in order (with ``epochs``: the epoch at a step)."""
        self.epochs = array("d")
        self.bad: tuple[int, str, float, bool] | None = None
        """The first non-finite value: (step, field, value, whether the record's loss is 0)."""
        self.oom: tuple[int, str] | None = None
        """The first out-of-memory line: (step, line)."""
        self._collect(rows)

    def _collect(self, rows: Iterable[Row]) -> None:
        isfinite, nan = math.isfinite, math.nan
        steps, epochs = self.steps.append, self.epochs.append
        train = (self.train_steps.append, self.train_loss.append, self.train_epoch.append)
        grads = (self.grad_steps.append, self.grads.append)
        evals = (self.eval_steps.append, self.evals.append, self.eval_epoch.append)
        for step, loss, eval_loss, grad, _, epoch, error in rows:
            if error is not None:
                if self.oom is None:
                    self.oom = (step, error)
                continue
            at = nan if epoch is None or not isfinite(epoch) else epoch
            steps(step)
            epochs(at)
            if loss is not None:
                if isfinite(loss):
                    train[0](step)
                    train[1](loss)
                    train[2](at)
                elif self.bad is None:
                    self.bad = (step, "loss", loss, False)
            if grad is not None:
                if isfinite(grad):
                    grads[0](step)
                    grads[1](grad)
                elif self.bad is None:
                    self.bad = (step, "grad_norm", grad, loss == 0.0)
            if eval_loss is not None:
                if isfinite(eval_loss):
                    evals[0](step)
                    evals[1](eval_loss)
                    evals[2](at)
                elif self.bad is None:
                    self.bad = (step, "eval_loss", eval_loss, False)

    def epoch_at(self, step: int) -> float | None:
        """The epoch of the first record at ``step`` that logged one."""
        for s, epoch in zip(self.steps, self.epochs, strict=True):
            if s == step and epoch == epoch:  # not NaN
                return epoch
        return None


def detect_run(run: Run, samples: list[str] | None = None) -> list[Symptom]:
    """The symptoms of a collected run (and of generated texts, when given), most urgent first."""
    nan = _loss_nan(run)
    found = [
        _out_of_memory(run),
        nan,
        _overfitting(run),
        _garbage(samples) if samples is not None else None,
        _flat(run) if nan is None else None,
    ]
    return by_priority(s for s in found if s is not None)


def by_priority(symptoms: Iterable[Symptom]) -> list[Symptom]:
    return sorted(symptoms, key=lambda s: PRIORITY.index(s.symptom))


def _fmt(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else str(value)


def _optional(value: float) -> float | None:
    return None if value != value else value


# ---------------------------------------------------------------------------------------- out of memory


def oom_figures(line: str) -> tuple[float | None, float | None]:
    """(the GPU's total GiB, the GiB the failed allocation lacked) as PyTorch's error states them, or None."""

    def gib(match: re.Match[str] | None) -> float | None:
        if match is None:
            return None
        number, unit = (match[1], match[2]) if match[1] is not None else (match[3], match[4])
        value = float(number) * _UNIT_GIB[unit]
        return value if math.isfinite(value) else None

    total, tried, free = gib(_TOTAL.search(line)), gib(_TRIED.search(line)), gib(_FREE.search(line))
    missing = max(0.0, tried - free) if tried is not None and free is not None else None
    return total, missing


def _out_of_memory(run: Run) -> Symptom | None:
    if run.oom is None:
        return None
    step, line = run.oom
    where = f"after step {step}" if step else "before the first logged step"
    evidence = f"the run ran out of memory {where}: {excerpt(line, 120)}"
    total, missing = oom_figures(line)
    if total is not None:
        evidence += f" (a {total:.3g} GiB GPU" + (f", {missing:.2f} GiB short)" if missing is not None else ")")
    return Symptom(symptom="oom", step=step or None, evidence=evidence, gpu_memory_gib=total, missing_gib=missing)


# ---------------------------------------------------------------------------------------------- loss-nan


def _loss_nan(run: Run) -> Symptom | None:
    first_bad: tuple[int, str] | None = None
    if run.bad is not None:
        step, key, value, zero_loss = run.bad
        text = f"{key} is {value} at step {step}"
        for i in range(len(run.train_steps) - 1, -1, -1):
            if run.train_steps[i] < step:
                text += f" (loss {_fmt(run.train_loss[i])} at step {run.train_steps[i]})"
                break
        if zero_loss:
            text += "; the loss of 0 beside it is the Trainer's filter for non-finite losses"
        first_bad = (step, text)
    exploding = _exploding(run)
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
    return Symptom(symptom="loss-nan", step=step, evidence="; ".join(parts), epoch=run.epoch_at(step))


def _exploding(run: Run) -> tuple[int, str] | None:
    events: list[tuple[int, str]] = []
    low_step, low = 0, math.inf
    for step, loss in zip(run.train_steps, run.train_loss, strict=True):
        if low < math.inf and low > 0 and loss > EXPLODE_RATIO * low and loss - low >= EXPLODE_MIN_RISE:
            events.append((step, f"loss rose from {_fmt(low)} at step {low_step} to {_fmt(loss)} at step {step}"))
            break
        if loss < low:
            low_step, low = step, loss
    # The median of the positive grad norms before a step: of all of them for the first GRAD_WINDOW, then of
    # the latest complete block of GRAD_WINDOW (sorted once per block, so the pass stays linear).
    first: list[float] = []
    block: list[float] = []
    median = 0.0
    count = 0
    for step, grad in zip(run.grad_steps, run.grads, strict=True):
        if count >= 2 and median > 0 and grad >= GRAD_SPIKE_RATIO * median:
            events.append(
                (
                    step,
                    f"grad_norm jumped to {_fmt(grad)} at step {step}, "
                    f"{grad / median:.0f}x the median {_fmt(median)} of the steps before",
                )
            )
            break
        if grad > 0:
            count += 1
            if count <= GRAD_WINDOW:
                insort(first, grad)
                median = _median(first)
            else:
                block.append(grad)
                if len(block) == GRAD_WINDOW:
                    median, block = _median(sorted(block)), []
    return min(events) if events else None


def _median(ordered: Sequence[float]) -> float:
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


# --------------------------------------------------------------------------------------------- loss-flat


def _trend(steps: Sequence[int], losses: Sequence[float]) -> float:
    """Least-squares change from the first to the last point, relative to the mean (-0.05 is 5% down)."""
    n = len(steps)
    x0, y0 = steps[-1], losses[-1]  # shifted to the last point: no large sums to cancel
    sx = sxx = sy = sxy = 0.0
    for s, v in zip(steps, losses, strict=True):
        x, y = float(s - x0), v - y0
        sx += x
        sxx += x * x
        sy += y
        sxy += x * y
    return _change(n, sx, sxx, sy, sxy, y0, float(steps[-1] - steps[0]))


def _change(n: int, sx: float, sxx: float, sy: float, sxy: float, y0: float, span: float) -> float:
    spread = n * sxx - sx * sx
    mean_y = sy / n + y0
    if spread <= 0 or mean_y == 0:
        return 0.0
    return (n * sxy - sx * sy) / spread * span / abs(mean_y)


def _flat(run: Run) -> Symptom | None:
    steps, losses = run.train_steps, run.train_loss
    n = len(losses)
    if n < FLAT_MIN_RECORDS:
        return None
    shortest = max(FLAT_MIN_RECORDS, math.ceil(n / 2))
    x0, y0 = steps[-1], losses[-1]  # shifted to the last point: no large sums to cancel
    sx = sxx = sy = sxy = 0.0
    found: int | None = None
    # Every stretch [start:] from the end, its sums grown by one point at a time; from the shortest allowed
    # stretch on, the earliest start whose trend is under FLAT_MAX_CHANGE wins.  The test is _change's,
    # multiplied out: |slope * span| < FLAT_MAX_CHANGE * |mean|.
    for start in range(n - 1, -1, -1):
        x = float(steps[start] - x0)
        y = losses[start] - y0
        sx += x
        sxx += x * x
        sy += y
        sxy += x * y
        m = n - start
        if m >= shortest:
            spread = m * sxx - sx * sx
            mean_y = sy / m + y0
            if spread <= 0 or mean_y == 0 or abs((m * sxy - sx * sy) * x) < FLAT_MAX_CHANGE * abs(mean_y) * spread:
                found = start
    if found is None:
        return None
    start = found
    change = _trend(steps[start:], losses[start:])
    first_step, first, last_step, last = steps[start], losses[start], steps[-1], losses[-1]
    text = (
        f"loss {_fmt(first)} at step {first_step} → {_fmt(last)} at step {last_step}: "
        f"trend {change:+.1%} over the last {n - start} records (under {FLAT_MAX_CHANGE:.0%} either way)"
    )
    if start > 0:
        moved = "falling" if losses[0] > first else "rising"
        text = f"after {moved} from {_fmt(losses[0])} at step {steps[0]}, " + text
    return Symptom(symptom="loss-flat", step=first_step, evidence=text, epoch=_optional(run.train_epoch[start]))


# ------------------------------------------------------------------------------------------- overfitting


def _overfitting(run: Run) -> Symptom | None:
    evals = run.evals
    if len(evals) < 3:
        return None
    best = min(range(len(evals)), key=evals.__getitem__)
    best_step, best_loss, best_epoch = run.eval_steps[best], evals[best], _optional(run.eval_epoch[best])
    last_step, last_loss = run.eval_steps[-1], evals[-1]
    if len(evals) - best - 1 < 2 or last_loss < best_loss * (1 + OVERFIT_MIN_RISE):
        return None
    # The training loss from the best evaluation on, starting at the last training record up to it.
    steps, losses = array("q"), array("d")
    at_best = None
    for i, s in enumerate(run.train_steps):
        if s <= best_step:
            at_best = i
    start = (run.train_steps[at_best], run.train_loss[at_best]) if at_best is not None else None
    if start is not None:
        steps.append(start[0])
        losses.append(start[1])
    for s, v in zip(run.train_steps, run.train_loss, strict=True):
        if s >= best_step and (s, v) != start:
            steps.append(s)
            losses.append(v)
    if len(steps) < 2 or _trend(steps, losses) >= 0 or losses[-1] >= losses[0]:
        return None
    evidence = (
        f"eval_loss rose from {_fmt(best_loss)} at step {best_step} to {_fmt(last_loss)} at step {last_step} "
        f"({last_loss / best_loss - 1:+.0%}) while loss fell {_fmt(losses[0])} → {_fmt(losses[-1])}"
    )
    return Symptom(symptom="overfitting", step=best_step, evidence=evidence, epoch=best_epoch)


# ----------------------------------------------------------------------------------------------- garbage


def excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text[: limit * 4].split())
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
    evidence = f"{len(bad)} of {len(samples)} samples are repetitive; sample {i} {why}: {excerpt(text)}"
    return Symptom(symptom="garbage", step=None, evidence=evidence)
