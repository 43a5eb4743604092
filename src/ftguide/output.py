"""Printing: one JSON or YAML document, or tables for people; atomic file writes."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ftguide.errors import InputError
from ftguide.models import MemoryEstimate, SuggestResult


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


#: ``--quiet``: informational lines on stderr are dropped (errors never are).
QUIET = False


def note(message: str) -> None:
    """An informational line on stderr (``wrote PATH``), silenced by --quiet."""
    if not QUIET:
        err(message)


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def write_files(files: Mapping[Path, str], *, force: bool) -> None:
    """Write every file or none: each goes to a temp file in its folder, is fsynced, then renamed in place."""
    for path in files:
        if path.exists() and not force:
            raise InputError(f"-o: {path} exists; pass --force to overwrite it")
        if path.exists() and path.is_dir():
            raise InputError(f"-o: {path} is a directory")
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        raise InputError(f"-o: cannot write {exc.filename or ''}: {exc.strerror}") from None


# ------------------------------------------------------------------------------------------------ tables

BAR_WIDTH = 50
COMPONENT_STYLE = {
    "base_weights": ("█", "blue"),
    "unquantized_weights": ("█", "cyan"),
    "lora_state": ("█", "magenta"),
    "activations": ("█", "yellow"),
    "logits_and_loss": ("█", "red"),
    "allocator_and_buffers": ("█", "white"),
    "cuda_context": ("█", "bright_black"),
    "sharding_buffers": ("█", "green"),
}


def _console() -> Any:
    import os

    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = 120
    return console


def memory_bar(memory: MemoryEstimate) -> Any:
    """A stacked bar of the components against the budget (or the estimate when there is none)."""
    from rich.text import Text

    scale = max(memory.budget_gib or 0.0, memory.estimated_gib) or 1.0
    bar = Text()
    used = 0
    for name, gib in memory.breakdown.items():
        cells = round(gib / scale * BAR_WIDTH)
        char, style = COMPONENT_STYLE.get(name, ("█", "white"))
        bar.append(char * cells, style=style)
        used += cells
    if memory.budget_gib:
        bar.append("░" * max(0, BAR_WIDTH - used), style="green")
        bar.append(f" {memory.estimated_gib:.1f} / {memory.budget_gib:g} GiB")
    else:
        bar.append(f" {memory.estimated_gib:.1f} GiB")
    return bar


def memory_table(memory: MemoryEstimate) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Peak GPU memory ({memory.framework}, {memory.model})", title_justify="left")
    table.add_column("component")
    table.add_column("GiB", justify="right")
    for name, gib in memory.breakdown.items():
        char, style = COMPONENT_STYLE.get(name, ("█", "white"))
        table.add_row(Text(char + " ", style=style) + Text(name.replace("_", " ")), f"{gib:.2f}")
    table.add_row("total (nvidia-smi peak)", f"{memory.estimated_gib:.2f}", style="bold")
    if memory.budget_gib is not None:
        verdict = "fits" if memory.fits else "does NOT fit"
        table.add_row(f"budget (margin {memory.safety_margin_gib:.1f})", f"{memory.budget_gib:g}  {verdict}")
    return table


def _duration(hours: float) -> str:
    if hours < 1 / 60:
        return f"{max(1, round(hours * 3600))} s"
    if hours < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:.1f} h"


def print_memory(memory: MemoryEstimate) -> None:
    console = _console()
    console.print(memory_table(memory))
    console.print(memory_bar(memory))


def print_suggestion(result: SuggestResult) -> None:
    from rich.table import Table

    console = _console()
    profile = result.profile.model_dump(mode="json")
    reasons = {d.field: d for d in result.decisions}
    table = Table(title=f"ftguide profile for {result.profile.base_model}", title_justify="left")
    table.add_column("setting")
    table.add_column("value")
    table.add_column("rule")
    table.add_column("why", overflow="fold")
    for name, value in profile.items():
        decision = reasons.get(name)
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        table.add_row(name, shown, decision.rule if decision else "", decision.reason if decision else "")
    console.print(table)
    print_memory(result.memory)
    plan = result.schedule
    hours = plan.estimated_hours
    console.print(
        f"[bold]Run:[/] {plan.total_steps} steps ({plan.steps_per_epoch}/epoch, {plan.warmup_steps} warmup), "
        f"{plan.evaluations} evaluations, {plan.tokens / 1e6:.1f}M tokens; "
        f"about {_duration(hours.expected)} on a {plan.gpu} (range {_duration(hours.low)}-{_duration(hours.high)})"
    )
    for finding in result.warnings:
        console.print(
            f"[yellow]{finding.severity}[/] {finding.code} {finding.field}={finding.value!r}: "
            f"{finding.message} (recommended {finding.recommended!r})"
        )


def print_findings(report: Any) -> None:
    from rich.table import Table

    console = _console()
    title = f"{report.file} ({report.kind}{', ' + report.model if report.model else ''})"
    if not report.findings:
        console.print(f"{title}: no findings")
    else:
        table = Table(title=title, title_justify="left")
        for column in ("code", "severity", "field", "value", "recommended", "why"):
            table.add_column(column, overflow="fold")
        for f in report.findings:
            table.add_row(f.code, f.severity, f.field, _short(f.value), _short(f.recommended), f.message)
        console.print(table)
    if report.memory is not None:
        print_memory(report.memory)


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def explanation(result: SuggestResult, trace: list[dict[str, Any]]) -> dict[str, Any]:
    """The trace as a document: every step per field, and the guide table behind each rule used."""
    from ftguide.rules import get_rule

    tables: dict[str, dict[str, str]] = {}
    for event in trace:
        rule = get_rule(event["rule"])
        if rule is not None and rule.code not in tables:
            tables[rule.code] = {
                "symbol": rule.symbol,
                "summary": rule.summary,
                "table": rule.section("Table"),
                "why": rule.section("Why"),
            }
    inputs = result.inputs.model_dump(mode="json")
    return {"inputs": inputs, "trace": trace, "rules": tables}


def print_explanation(result: SuggestResult, trace: list[dict[str, Any]]) -> None:
    doc = explanation(result, trace)
    console = _console()
    console.print(
        f"[bold]Inputs:[/] examples={result.inputs.examples}, model={result.inputs.model!r} -> "
        f"{result.memory.model}, budget={result.memory.budget_gib}"
    )
    by_field: dict[str, list[dict[str, Any]]] = {}
    for event in trace:
        by_field.setdefault(event["field"], []).append(event)
    for name in result.profile.model_dump():
        steps = by_field.get(name, [])
        final = getattr(result.profile, name)
        console.print(f"\n[bold]{name}[/] = {final!r}")
        for event in steps:
            console.print(f"  {event['rule']:<6} {event['step']:<15} {event['value']!r}: {event['reason']}")
    console.print("\n[bold]Guide tables behind these values[/]")
    for code, info in doc["rules"].items():
        console.print(f"\n{code} {info['symbol']}: {info['summary']}")
        if info["table"]:
            console.print(info["table"], markup=False)


def print_diagnosis(result: Any) -> None:
    from rich.table import Table

    console = _console()
    if not result.symptoms:
        console.print("No symptom found: the loss falls, stays finite, and evaluation does not turn up.")
        return
    for s in result.symptoms:
        step = f" at step {s.step}" if s.step is not None else ""
        console.print(f"[bold red]{s.symptom}[/]{step}: {s.evidence}")
    table = Table(title="Changes", title_justify="left")
    for column in ("field", "current", "recommended", "why"):
        table.add_column(column, overflow="fold")
    for c in result.changes:
        table.add_row(c.field, _short(c.current), _short(c.recommended), c.reason)
    console.print(table)
