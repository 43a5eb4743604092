"""Printing: one JSON or YAML document, or tables for people."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

from ftguide.models import MemoryEstimate, SuggestResult
from ftguide.targets import TargetName


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
    """One line on stderr; control characters from user values are shown escaped, never sent raw."""
    sys.stderr.write(printable(message.rstrip("\n")) + "\n")
    sys.stderr.flush()


def printable(text: str) -> str:
    """``text`` with every control character (escape sequences too) written as a visible escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else ascii(ch)[1:-1] for ch in text)


def esc(value: Any) -> str:
    """A value for a rich table cell or line: markup neutralised, control characters escaped."""
    from rich.markup import escape

    return escape(printable(str(value)))


def guard_streams() -> None:
    """Make stdout and stderr able to write any text (a non-UTF-8 locale must not turn a value into a crash)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


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


def emit_explanation(result: SuggestResult, trace: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "table":
        print_explanation(result, trace)
    else:
        print_document(document("suggest", explanation(result, trace)), fmt)


def emit_memory(memory: MemoryEstimate, fmt: str) -> None:
    print_document(document("vram", memory.model_dump(mode="json")), fmt, lambda: print_memory(memory))


def emit_report(report: Any, fmt: str, exit_code: int) -> None:
    body = report.to_json() | {"exit_code": int(exit_code)}
    print_document(document("check", body), fmt, lambda: print_findings(report))


def emit_diagnosis(result: Any, fmt: str) -> None:
    print_document(document("diagnose", result.model_dump(mode="json")), fmt, lambda: print_diagnosis(result))


def emit_bundle(result: SuggestResult, target: TargetName, output: str | None, *, force: bool) -> None:
    """``suggest --emit``: the rendered file on stdout, or every file of the run under ``-o``."""
    from ftguide.errors import InputError
    from ftguide.files import output_paths, write_files
    from ftguide.render import bundle
    from ftguide.targets import get_target

    spec = get_target(target)
    files, _ = bundle(result.profile, target, inputs=result.inputs.model_dump(mode="json"), decisions=result.decisions)
    if output is None:
        if len(files) > 1:
            raise InputError(
                f"-o: --emit {target} on {result.profile.num_gpus} GPUs writes {len(files)} files "
                f"({', '.join(files)}); give -o FOLDER"
            )
        write_stdout(files[spec.file_name])
        return
    paths, folder = output_paths(output, list(files), spec.file_name)
    write_files({paths[name]: text for name, text in files.items()}, force=force)
    for path in paths.values():
        note(f"wrote {path}")
    _, launch = bundle(result.profile, target, main_name=paths[spec.file_name].name)
    note(f"start the run (in {folder}): {launch}")


def emit_schema(command: str) -> None:
    write_stdout(dump_json(document_schema(command)))


def document_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of the document ``command --format json`` prints."""
    from ftguide import models

    if command == "diagnose":
        from ftguide.diagnose import Diagnosis

        body: Any = Diagnosis
    else:
        body = {"suggest": models.SuggestResult, "vram": models.MemoryEstimate, "check": models.CheckDocument}[command]
    schema = body.model_json_schema()
    envelope = {
        "schema_version": {"type": "string", "description": "Version of the document layout."},
        "command": {"const": command, "description": "The command that printed the document."},
    }
    schema["properties"] = envelope | {k: v for k, v in schema["properties"].items() if k not in envelope}
    schema["required"] = sorted(set(schema.get("required", [])) | set(envelope))
    schema["title"] = f"ftguide {command} document"
    return schema


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
    from rich.table import Table

    console = _console()
    title = esc(f"{report.file} ({report.kind}{', ' + report.model if report.model else ''})")
    if not report.findings:
        console.print(f"{title}: no findings")
    else:
        table = Table(title=title, title_justify="left")
        for column in ("code", "severity", "field", "value", "recommended", "why"):
            table.add_column(column, overflow="fold")
        for f in report.findings:
            table.add_row(
                f.code, f.severity, esc(f.field), esc(_short(f.value)), esc(_short(f.recommended)), esc(f.message)
            )
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
