"""Diagnose a fine-tuning run: read its log, name what went wrong, and prescribe profile changes.

Three steps, one module each, each usable alone:

* :mod:`ftguide.diagnose.logs` (``read_log``) reads a Hugging Face ``trainer_state.json``, a JSONL file of
  log dicts, or a console log as Transformers, TRL and Axolotl print it, within size, depth and number caps;
* :mod:`ftguide.diagnose.symptoms` (``detect``) finds the symptoms in the records (and in generated texts);
* :mod:`ftguide.diagnose.prescribe` (``prescribe``) turns a symptom into changes with new values computed
  from a ``Profile`` (out-of-memory advice through the fitter's levers).

``diagnose`` runs the three and returns one ``Diagnosis``, in time linear in the log's length; the same input
always gives the same output.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ftguide.diagnose.logs import iter_rows, read_log, row_of_record
from ftguide.diagnose.prescribe import Change, prescribe, symptom_id
from ftguide.diagnose.symptoms import PRIORITY, SYMPTOMS, Run, Symptom, SymptomId, by_priority, detect_run
from ftguide.errors import InputError
from ftguide.models import Profile

__all__ = [
    "PRIORITY",
    "SYMPTOMS",
    "Change",
    "Diagnosis",
    "Symptom",
    "SymptomId",
    "detect",
    "diagnose",
    "prescribe",
    "read_log",
]

Source = Literal["log", "samples", "symptom", "log+symptom", "samples+symptom"]

_SHOWN_IN_LOGS = ("loss-flat", "loss-nan", "overfitting")


class Diagnosis(BaseModel):
    """What ``ftguide diagnose`` found and what it recommends."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)

    symptoms: list[Symptom]
    """Detected and reported symptoms, most urgent first (loss-nan, oom, overfitting, garbage, loss-flat)."""
    changes: list[Change]
    """The prescriptions of every symptom in that order, one per field (the more urgent symptom's wins)."""
    source: Source
    """What the diagnosis rests on: a log (``log``), generated texts alone (``samples``), a symptom the user
    named (``symptom``), or both (``log+symptom``, ``samples+symptom``)."""


def detect(records: Iterable[dict[str, Any]], samples: list[str] | None = None) -> list[Symptom]:
    """The symptoms in a run's records (as ``read_log`` returns them) and in generated texts, most urgent first."""
    rows = (row for row in map(row_of_record, records) if row is not None)
    return detect_run(Run(rows), samples)


def diagnose(
    *,
    log: str | None,
    symptom: str | None,
    profile: Profile | None,
    samples: list[str] | None = None,
    framework: str = "peft",
) -> Diagnosis:
    """Detect symptoms in ``log`` (and ``samples``), add the reported ``symptom``, and prescribe for each.

    The log is streamed: its records are never all held at once.  A reported symptom the log also shows is
    listed once, with the log's evidence.  Prescriptions follow the symptoms' order (PRIORITY); where two
    symptoms change the same field, the more urgent one's change is kept.  ``framework`` is the training path
    the run took (the memory estimate behind out-of-memory advice).
    """
    if log is None and symptom is None and samples is None:
        raise InputError("diagnose: give --log, --symptom or both")
    reported = symptom_id(symptom) if symptom is not None else None
    found = detect_run(Run(iter_rows(log) if log is not None else ()), samples)
    if reported is not None and all(s.symptom != reported for s in found):
        evidence = "reported with --symptom"
        if log is not None and reported in _SHOWN_IN_LOGS:
            evidence += "; the log shows no sign of it"
        elif samples and reported == "garbage":
            evidence += "; the samples given show no repetition"
        found.append(Symptom(symptom=reported, step=None, evidence=evidence))
    symptoms = by_priority(found)
    changes: list[Change] = []
    fields: set[str] = set()
    for item in symptoms:
        for change in prescribe(item, profile, framework):
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
