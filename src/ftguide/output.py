"""Printing: one JSON or YAML document, or tables for people."""

from __future__ import annotations

import json
import os
from typing import Any

from ftguide.models import MemoryEstimate, SuggestResult
from ftguide.streams import esc, write_stdout


def dump_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


# --------------------------------------------------------------------------------------- documents


def document(command: str, body: dict[str, Any]) -> dict[str, Any]:
    """The envelope of every JSON/YAML document ftguide prints: schema version and command first."""
    from ftguide.models import SCHEMA_VERSION

    return {"schema_version": SCHEMA_VERSION, "command": command, **body}


def print_document(doc: Any, fmt: str, table: Any = None) -> None:
    """One document on stdout as JSON or YAML, or the table callback for ``table``."""
    if fmt == "json":
        write_stdout(dump_json(doc))
    elif fmt == "yaml":
        write_stdout(dump_yaml(doc))
    elif table is not None:
        table()
    else:
        write_stdout(dump_yaml(doc))


def emit_suggestion(result: SuggestResult, fmt: str) -> None:
    print_document(document("suggest", result.model_dump(mode="json")), fmt, lambda: print_suggestion(result))


def emit_explanation(result: SuggestResult, trace: list[dict[str, Any]], doc: dict[str, Any], fmt: str) -> None:
    """``suggest --explain``: the trace (``doc`` is :func:`ftguide.engine.explanation`'s document)."""
    if fmt == "table":
        print_explanation(result, trace, doc)
    else:
        print_document(document("suggest", doc), fmt)


def emit_memory(memory: MemoryEstimate, fmt: str) -> None:
    print_document(document("vram", memory.model_dump(mode="json")), fmt, lambda: print_memory(memory))


def emit_report(report: Any, fmt: str, exit_code: int) -> None:
    """``check``: one file's document (a report, or a run of one file), or the document of several files.

    ``github`` and ``sarif`` are the run's own renderings (annotations CI systems read).
    """
    if fmt in ("github", "sarif"):
        write_stdout(report.render(fmt))
        return
    results = getattr(report, "results", None)
    if results is None or getattr(report, "single", None) is not None:
        one = report if results is None else report.single
        body = one.to_json() | {"exit_code": int(exit_code)}
        print_document(document("check", body), fmt, lambda: print_findings(one))
        return
    body = report.to_json() | {"exit_code": int(exit_code)}
    print_document(document("check", body), fmt, lambda: print_findings(report))


def emit_diagnosis(result: Any, fmt: str) -> None:
    print_document(document("diagnose", result.model_dump(mode="json")), fmt, lambda: print_diagnosis(result))


def emit_rules(chosen: list[Any], fmt: str, *, single: bool) -> None:
    docs = [
        {
            "code": r.code,
            "symbol": r.symbol,
            "severity": r.severity,
            "kind": r.kind,
            "fields": list(r.fields),
            "summary": r.summary,
            "doc": r.doc,
        }
        for r in chosen
    ]
    if fmt != "table":
        print_document(docs, fmt)
    elif single:
        d = docs[0]
        write_stdout(f"{d['code']} {d['symbol']} ({d['severity']}, {d['kind']})\n\n{d['doc']}\n")
    else:
        write_stdout("".join(f"{d['code']}  {d['symbol']:<38} {d['kind']:<8} {d['summary']}\n" for d in docs))


def emit_models(fmt: str) -> None:
    from ftguide.catalog import ARCHITECTURES

    rows = [
        {
            "name": a.name,
            "hf_id": a.hf_id,
            "params_b": a.params_b,
            "size_class": a.size_class,
            "layers": a.num_hidden_layers,
            "hidden": a.hidden_size,
            "vocab": a.vocab_size,
        }
        for a in ARCHITECTURES
    ]
    if fmt != "table":
        print_document(rows, fmt)
        return
    lines = []
    for r in rows:
        size = f"[{r['size_class']}]" if r["size_class"] else ""
        lines.append(f"{r['name']:<22} {r['params_b']:>7.2f}B {size:<7} {r['hf_id']}\n")
    write_stdout("".join(lines))


def emit_gpus(fmt: str) -> None:
    from dataclasses import asdict

    from ftguide.catalog import GPU_CATALOG

    if fmt != "table":
        print_document([asdict(g) | {"aliases": list(g.aliases)} for g in GPU_CATALOG], fmt)
        return
    lines = []
    for g in GPU_CATALOG:
        flags = ", ".join(n for n, on in (("bf16", g.bf16), ("flash-attn", g.flash_attention)) if on)
        lines.append(f"{g.name:<18} {g.memory_gib:>6.1f} GiB  sm {g.compute_capability or '-':<5} {flags}\n")
    write_stdout("".join(lines))


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

    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False, emoji=False)  # a value's ":smile:" stays text
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

    table = Table(title=f"Peak GPU memory ({memory.framework}, {esc(memory.model)})", title_justify="left")
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
    table = Table(title=f"ftguide profile for {esc(result.profile.base_model)}", title_justify="left")
    table.add_column("setting")
    table.add_column("value")
    table.add_column("rule")
    table.add_column("why", overflow="fold")
    for name, value in profile.items():
        decision = reasons.get(name)
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        table.add_row(name, esc(shown), decision.rule if decision else "", esc(decision.reason) if decision else "")
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
            f"[yellow]{finding.severity}[/] {finding.code} {esc(finding.field)}={esc(repr(finding.value))}: "
            f"{esc(finding.message)} (recommended {esc(repr(finding.recommended))})"
        )


def print_findings(report: Any) -> None:
    """A table per file (its purpose in the title), then, for several files, one summary line."""
    from rich.table import Table

    console = _console()
    results = getattr(report, "results", None)
    for one in results if results is not None else [report]:
        if not hasattr(one, "findings"):  # a file that could not be judged
            console.print(f"{esc(one.file)}: not checked: {esc(one.reason)}")
            continue
        purpose = getattr(one, "purpose", None)
        described = f", {purpose.describe()}" if purpose is not None and one.kind == "axolotl" else ""
        title = esc(f"{one.file} ({one.kind}{', ' + one.model if one.model else ''}{described})")
        if not one.findings:
            console.print(f"{title}: no findings")
        else:
            table = Table(title=title, title_justify="left")
            for column in ("code", "severity", "field", "value", "recommended", "why"):
                table.add_column(column, overflow="fold")
            for f in one.findings:
                table.add_row(
                    f.code, f.severity, esc(f.field), esc(_short(f.value)), esc(_short(f.recommended)), esc(f.message)
                )
            console.print(table)
        if one.memory is not None:
            print_memory(one.memory)
    if results is not None:
        totals = report.to_json()["summary"]
        console.print(
            f"{totals['files']} files: {totals['checked']} checked ({totals['partly_checked']} partly), "
            f"{totals['not_checked']} not checked; {totals['errors']} errors, {totals['warnings']} warnings, "
            f"{totals['infos']} notes; {totals['with_errors']} files with errors",
            markup=False,
        )


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def print_explanation(result: SuggestResult, trace: list[dict[str, Any]], doc: dict[str, Any]) -> None:
    console = _console()
    console.print(
        f"[bold]Inputs:[/] examples={result.inputs.examples}, model={esc(repr(result.inputs.model))} -> "
        f"{esc(result.memory.model)}, budget={result.memory.budget_gib}"
    )
    by_field: dict[str, list[dict[str, Any]]] = {}
    for event in trace:
        by_field.setdefault(event["field"], []).append(event)
    for name in result.profile.model_dump():
        steps = by_field.get(name, [])
        final = getattr(result.profile, name)
        console.print(f"\n[bold]{name}[/] = {esc(repr(final))}")
        for event in steps:
            console.print(
                f"  {event['rule']:<6} {event['step']:<15} {esc(repr(event['value']))}: {esc(event['reason'])}"
            )
    console.print("\n[bold]Guide tables behind these values[/]")
    for code, info in doc["rules"].items():
        console.print(f"\n{code} {info['symbol']}: {info['summary']}", markup=False)
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
        console.print(f"[bold red]{s.symptom}[/]{step}: {esc(s.evidence)}")
    table = Table(title="Changes", title_justify="left")
    for column in ("field", "current", "recommended", "why"):
        table.add_column(column, overflow="fold")
    for c in result.changes:
        table.add_row(esc(c.field), esc(_short(c.current)), esc(_short(c.recommended)), esc(c.reason))
    console.print(table)
