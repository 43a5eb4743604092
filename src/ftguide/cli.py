"""The ``ftguide`` command line: parse flags, call the core, print.  No domain logic lives here."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ftguide.errors import InputError, RenderError

# The command line needs no pydantic plugins, and discovering them scans every installed package's entry points
# (a tenth of a second on a full environment): the CLI process skips it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

app = typer.Typer(
    name="ftguide",
    help="LoRA / QLoRA fine-tuning profiles that explain every value and fit your GPU.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"


class Target(str, Enum):
    axolotl = "axolotl"
    unsloth = "unsloth"
    peft = "peft"


class Quant(str, Enum):
    q4 = "4bit"
    q8 = "8bit"
    none = "none"


class FrameworkOpt(str, Enum):
    peft = "peft"
    axolotl = "axolotl"
    unsloth = "unsloth"


class Sched(str, Enum):
    cosine = "cosine"
    linear = "linear"
    constant = "constant"
    cosine_with_restarts = "cosine_with_restarts"


class Optim(str, Enum):
    adamw_torch = "adamw_torch"
    adamw_torch_fused = "adamw_torch_fused"
    adamw_8bit = "adamw_8bit"
    paged_adamw_8bit = "paged_adamw_8bit"
    paged_adamw_32bit = "paged_adamw_32bit"


class Prec(str, Enum):
    bf16 = "bf16"
    fp16 = "fp16"


class DataFmt(str, Enum):
    alpaca = "alpaca"
    messages = "messages"
    prompt_completion = "prompt_completion"
    text = "text"
    sharegpt = "sharegpt"


class Sharding(str, Enum):
    ddp = "ddp"
    fsdp = "fsdp"
    zero2 = "zero2"
    zero3 = "zero3"


class TaskOpt(str, Enum):
    style = "style"
    standard = "standard"
    complex = "complex"
    domain = "domain"
    near_full = "near-full"


class AlphaOpt(str, Enum):
    conservative = "conservative"
    standard = "standard"
    aggressive = "aggressive"


# Request / Profile field -> the flag a user typed, for error messages.
FLAG_OF = {
    "examples": "--examples",
    "model": "--model",
    "vram_gib": "--vram",
    "num_gpus": "--gpus",
    "learning_rate": "--learning-rate",
    "num_epochs": "--epochs",
    "batch_size": "--batch-size",
    "gradient_accumulation_steps": "--grad-accum",
    "lora_r": "--lora-r",
    "lora_alpha": "--lora-alpha",
    "lora_dropout": "--lora-dropout",
    "warmup_ratio": "--warmup-ratio",
    "max_seq_length": "--seq-len",
    "dataset_path": "--dataset-path",
    "output_dir": "--output-dir",
}


@app.callback()
def _options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but the product and errors.")] = False,
) -> None:
    """LoRA / QLoRA fine-tuning profiles that explain every value and fit your GPU."""
    from ftguide import output

    output.QUIET = quiet


def _fail(message: str) -> NoReturn:
    from ftguide.output import err

    err(f"ftguide: error: {message}")
    raise typer.Exit(2)


def _validation_message(exc: Exception) -> str:
    errors = exc.errors() if hasattr(exc, "errors") else []
    if not errors:
        return str(exc)
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p != "overrides"]
    field = loc[-1] if loc else "input"
    flag = FLAG_OF.get(field, field)
    value = first.get("input")
    return f"{flag}: {first.get('msg', 'invalid value')} (got {value!r})"


def _value(option: Enum | None) -> Any:
    return option.value if option is not None else None


def _write_or_print(text: str, output: str | None, default_name: str, force: bool) -> None:
    from ftguide.output import note, write_files, write_stdout

    if output is None:
        write_stdout(text)
        return
    target = Path(output)
    path = target / default_name if (target.is_dir() or output.endswith(("/", "\\"))) else target
    write_files({path: text}, force=force)
    note(f"wrote {path}")


ExamplesOpt = Annotated[int, typer.Option("--examples", "-n", min=1, help="Number of training examples.")]
ModelOpt = Annotated[
    str,
    typer.Option(
        "--model", "-m", help="Catalog name, Hugging Face id, size class (7B, 8x7B) or local config.json / folder."
    ),
]
VramOpt = Annotated[
    float | None, typer.Option("--vram", min=0.001, help="GPU memory per GPU in GiB (default: from --gpu).")
]
GpuOpt = Annotated[str | None, typer.Option("--gpu", help="GPU name (see `ftguide gpus`): sets budget and precision.")]
GpusOpt = Annotated[int, typer.Option("--gpus", min=1, max=1024, help="Number of GPUs (data parallel).")]
FrameworkFlag = Annotated[FrameworkOpt, typer.Option("--framework", help="Training stack whose memory is modelled.")]


DatasetOpt = Annotated[
    str | None,
    typer.Option("--dataset", help="Read this JSON/JSONL/CSV/Parquet file: count, format, lengths."),
]
TokenizerOpt = Annotated[
    str | None, typer.Option("--tokenizer", help="Local tokenizer.json (or folder) for exact token counts.")
]


def _read_dataset(path: str, tokenizer: str | None) -> Any:
    from ftguide import output
    from ftguide.dataset import read_dataset

    stats = read_dataset(path, tokenizer=tokenizer, progress=not output.QUIET)
    if stats.bad_rows:
        first = stats.bad_row_samples[0] if stats.bad_row_samples else None
        where = f" (first: line {first.line}: {first.reason})" if first else ""
        output.note(f"--dataset: {stats.bad_rows} bad row(s) skipped{where}")
    return stats


@app.command()
def suggest(
    model: ModelOpt,
    examples: Annotated[
        int | None, typer.Option("--examples", "-n", min=1, help="Training examples (or give --dataset).")
    ] = None,
    dataset: DatasetOpt = None,
    tokenizer: TokenizerOpt = None,
    vram: VramOpt = None,
    gpu: GpuOpt = None,
    gpus: GpusOpt = 1,
    framework: FrameworkFlag = FrameworkOpt.peft,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="table (people), json or yaml (one document).")
    ] = Format.table,
    emit: Annotated[Target | None, typer.Option("--emit", help="Render the profile as this target's file.")] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write the --emit file(s) here: a file, or a folder (ending in /)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
    dataset_format: Annotated[
        DataFmt | None, typer.Option("--dataset-format", help="Layout of the training data (default alpaca).")
    ] = None,
    dataset_path: Annotated[
        str | None, typer.Option("--dataset-path", help="Training data path written into rendered files.")
    ] = None,
    output_dir: Annotated[
        str, typer.Option("--output-dir", help="Checkpoint / adapter folder written into rendered files.")
    ] = "outputs/lora",
    task: Annotated[
        TaskOpt | None, typer.Option("--task", help="Use case; picks the LoRA rank from the guide's rank table.")
    ] = None,
    alpha_pattern: Annotated[
        AlphaOpt, typer.Option("--alpha-pattern", help="alpha = r (conservative), 2r (standard), 4r (aggressive).")
    ] = AlphaOpt.standard,
    learning_rate: Annotated[float | None, typer.Option("--learning-rate", "--lr", help="Override.")] = None,
    epochs: Annotated[float | None, typer.Option("--epochs", help="Override.")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", help="Override (micro-batch per GPU).")] = None,
    grad_accum: Annotated[
        int | None, typer.Option("--grad-accum", "--gradient-accumulation-steps", help="Override.")
    ] = None,
    lora_r: Annotated[int | None, typer.Option("--lora-r", help="Override.")] = None,
    lora_alpha: Annotated[int | None, typer.Option("--lora-alpha", help="Override.")] = None,
    lora_dropout: Annotated[float | None, typer.Option("--lora-dropout", help="Override.")] = None,
    target_modules: Annotated[
        str | None, typer.Option("--target-modules", help="Override: qv, attention, all, or a comma list.")
    ] = None,
    warmup_ratio: Annotated[float | None, typer.Option("--warmup-ratio", help="Override.")] = None,
    scheduler: Annotated[Sched | None, typer.Option("--scheduler", "--lr-scheduler", help="Override.")] = None,
    seq_len: Annotated[int | None, typer.Option("--seq-len", "--max-seq-length", help="Override.")] = None,
    quant: Annotated[Quant | None, typer.Option("--quant", help="Override: 4bit, 8bit or none.")] = None,
    gradient_checkpointing: Annotated[
        bool | None,
        typer.Option("--gradient-checkpointing/--no-gradient-checkpointing", help="Override."),
    ] = None,
    optimizer: Annotated[Optim | None, typer.Option("--optimizer", help="Override.")] = None,
    precision: Annotated[Prec | None, typer.Option("--precision", help="Override: bf16 or fp16.")] = None,
    sharding: Annotated[
        Sharding | None, typer.Option("--sharding", help="Override the multi-GPU engine: ddp, fsdp, zero2, zero3.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the trace of every value: rule, input, table.")
    ] = False,
) -> None:
    """Recommend a complete, explained LoRA / QLoRA profile that fits the GPU."""
    from pydantic import ValidationError

    from ftguide.models import Overrides, Request

    stats = _read_dataset(dataset, tokenizer) if dataset else None
    count = stats.examples if stats is not None else examples
    if count is None:
        raise InputError("--examples: required (a positive integer), unless --dataset gives the count")
    try:
        request = Request(
            examples=count,
            model=model,
            vram_gib=vram,
            gpu=gpu,
            num_gpus=gpus,
            framework=framework.value,
            dataset_format=(dataset_format.value if dataset_format else stats.format if stats else "alpaca"),
            dataset_path=dataset_path or dataset or "data/train.jsonl",
            dataset_stats=stats.model_dump(mode="json") if stats is not None else None,
            output_dir=output_dir,
            task=_value(task),
            alpha_pattern=alpha_pattern.value,
            overrides=Overrides(
                learning_rate=learning_rate,
                num_epochs=epochs,
                batch_size=batch_size,
                gradient_accumulation_steps=grad_accum,
                lora_r=lora_r,
                lora_alpha=lora_alpha,
                lora_dropout=lora_dropout,
                target_modules=target_modules,
                warmup_ratio=warmup_ratio,
                lr_scheduler=_value(scheduler),
                max_seq_length=seq_len,
                quantization=_value(quant),
                gradient_checkpointing=gradient_checkpointing,
                optimizer=_value(optimizer),
                precision=_value(precision),
                distributed=_value(sharding),
            ),
        )
    except ValidationError as exc:
        _fail(_validation_message(exc))
    from ftguide.engine import suggest as run_suggest

    trace: list[dict[str, Any]] = []
    result = run_suggest(request, trace)
    if explain:
        from ftguide.output import explanation, print_explanation

        if output_format is Format.table:
            print_explanation(result, trace)
        else:
            _print_document(explanation(result, trace), output_format, lambda: None)
        return
    if emit is not None:
        from ftguide.output import note, write_files, write_stdout
        from ftguide.render import FILE_NAMES, bundle

        files, launch = bundle(
            result.profile,
            emit.value,  # type: ignore[arg-type]
            inputs=request.model_dump(mode="json"),
            decisions=result.decisions,
        )
        if output is None:
            if len(files) > 1:
                raise InputError(
                    f"-o: --emit {emit.value} on {gpus} GPUs writes {len(files)} files "
                    f"({', '.join(files)}); give -o FOLDER"
                )
            write_stdout(files[FILE_NAMES[emit.value]])
            return
        target = Path(output)
        folder_like = target.is_dir() or output.endswith(("/", "\\")) or len(files) > 1
        folder = target if folder_like else target.parent
        main_path = target if not folder_like else folder / FILE_NAMES[emit.value]
        paths = {(main_path if name == FILE_NAMES[emit.value] else folder / name): text for name, text in files.items()}
        write_files(paths, force=force)
        for path in paths:
            note(f"wrote {path}")
        note(f"start the run (in {folder}): {launch}")
    _print_document(result.model_dump(mode="json"), output_format, lambda: _print_table(result))


def _print_table(result: Any) -> None:
    from ftguide.output import print_suggestion

    print_suggestion(result)


def _print_document(doc: dict[str, Any], fmt: Format, table: Any) -> None:
    from ftguide.output import dump_json, dump_yaml, write_stdout

    if fmt is Format.json:
        write_stdout(dump_json(doc))
    elif fmt is Format.yaml:
        write_stdout(dump_yaml(doc))
    else:
        table()


def read_document(source: str, what: str) -> Any:
    """Read a JSON or YAML document from a path or ``-`` (stdin), safely and with a size limit."""
    import json

    import yaml

    limit = 16 * 1024 * 1024
    if source == "-":
        if sys.stdin.isatty():
            raise InputError(f"{what}: '-' reads standard input, but nothing was piped in")
        raw = sys.stdin.buffer.read(limit + 1)
        name = "standard input"
    else:
        path = Path(source)
        name = str(path)
        if path.is_dir():
            raise InputError(f"{what}: {path} is a directory, expected a JSON or YAML file")
        try:
            with path.open("rb") as handle:
                raw = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError(f"{what}: {path} does not exist") from None
        except OSError as exc:
            raise InputError(f"{what}: cannot read {path}: {exc.strerror}") from None
    if len(raw) > limit:
        raise InputError(f"{what}: {name} is larger than 16 MiB")
    if not raw.strip():
        raise InputError(f"{what}: {name} is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what}: {name} is not UTF-8 text") from None
    try:
        if text.lstrip().startswith(("{", "[")):
            return json.loads(text)
        # Aliases can expand a small file into gigabytes ("billion laughs"); profiles and configs need none.
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise InputError(f"{what}: {name} uses YAML aliases (*name), which ftguide does not read")
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", getattr(exc, "lineno", None))
        where = f" (line {line + 1 if hasattr(exc, 'problem_mark') else line})" if line is not None else ""
        raise InputError(f"{what}: {name} is not valid JSON or YAML{where}") from None


@app.command()
def render(
    profile_file: Annotated[str, typer.Argument(metavar="PROFILE", help="Profile JSON/YAML file, or - for stdin.")],
    target: Annotated[Target, typer.Option("--target", "-t", help="axolotl, unsloth or peft.")],
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write here: a file, or a folder (ending in /).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
) -> None:
    """Render a saved (possibly hand-edited) profile, after validating it."""
    from pydantic import ValidationError

    from ftguide.models import Decision, Profile
    from ftguide.render import FILE_NAMES
    from ftguide.render import render as do_render

    doc = read_document(profile_file, "PROFILE")
    if not isinstance(doc, dict):
        raise InputError("PROFILE: expected a JSON/YAML object (a profile or a `suggest --format json` document)")
    body = doc.get("profile", doc)
    inputs = doc.get("inputs") if isinstance(doc.get("inputs"), dict) else None
    try:
        profile = Profile.model_validate(body)
        decisions = [Decision.model_validate(d) for d in doc.get("decisions") or []]
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "profile"
        raise InputError(f"PROFILE: {where}: {first.get('msg')}") from None
    text = do_render(profile, target.value, inputs=inputs, decisions=decisions)  # type: ignore[arg-type]
    _write_or_print(text, output, FILE_NAMES[target.value], force)


@app.command()
def vram(
    model: ModelOpt,
    quant: Annotated[Quant, typer.Option("--quant", help="4bit, 8bit or none.")] = Quant.q4,
    lora_r: Annotated[int, typer.Option("--lora-r", min=1, max=4096, help="LoRA rank.")] = 16,
    lora_dropout: Annotated[float, typer.Option("--lora-dropout", min=0.0, max=0.99, help="LoRA dropout.")] = 0.05,
    target_modules: Annotated[
        str, typer.Option("--target-modules", help="qv, attention, all, or a comma list of module names.")
    ] = "all",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=4096, help="Micro-batch per GPU.")] = 1,
    seq_len: Annotated[int, typer.Option("--seq-len", min=16, max=1_048_576, help="Sequence length.")] = 2048,
    gradient_checkpointing: Annotated[
        bool, typer.Option("--gradient-checkpointing/--no-gradient-checkpointing", help="Checkpointing.")
    ] = True,
    optimizer: Annotated[Optim | None, typer.Option("--optimizer", help="Default: by quantization.")] = None,
    framework: FrameworkFlag = FrameworkOpt.peft,
    gpus: GpusOpt = 1,
    vram_gib: VramOpt = None,
    gpu: GpuOpt = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
) -> None:
    """Estimate peak GPU memory for an explicit configuration, component by component."""
    from ftguide.catalog import resolve_gpu, resolve_model
    from ftguide.engine import user_values
    from ftguide.memory import memory_estimate
    from ftguide.models import Overrides, Profile, Request

    arch = resolve_model(model)
    card = resolve_gpu(gpu) if gpu else None
    budget = vram_gib if vram_gib is not None else (card.memory_gib if card else None)
    targets = user_values(Request(examples=1, model=model, overrides=Overrides(target_modules=target_modules)), arch)[
        "target_modules"
    ]
    chosen = optimizer.value if optimizer else ("adamw_torch_fused" if quant is Quant.none else "adamw_8bit")
    profile = Profile(
        base_model=arch.hf_id,
        learning_rate=2e-4,
        num_epochs=1,
        batch_size=batch_size,
        gradient_accumulation_steps=1,
        effective_batch_size=batch_size * gpus,
        lora_r=lora_r,
        lora_alpha=2 * lora_r,
        lora_dropout=lora_dropout,
        target_modules=targets,
        warmup_ratio=0.03,
        lr_scheduler="cosine",
        max_seq_length=seq_len,
        quantization=quant.value,  # type: ignore[arg-type]
        gradient_checkpointing=gradient_checkpointing,
        optimizer=chosen,  # type: ignore[arg-type]
        precision="fp16" if card is not None and not card.bf16 else "bf16",
        num_gpus=gpus,
    )
    estimate = memory_estimate(profile, arch, framework.value, budget)
    if output_format is Format.table:
        from ftguide.output import print_memory

        print_memory(estimate)
        return
    from ftguide.output import dump_json, dump_yaml, write_stdout

    doc = estimate.model_dump(mode="json")
    write_stdout(dump_json(doc) if output_format is Format.json else dump_yaml(doc))


class FailOn(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


@app.command()
def check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Axolotl YAML, ftguide profile, or Python script.")],
    examples: Annotated[
        int | None, typer.Option("--examples", "-n", min=1, help="Dataset size: enables the data rules.")
    ] = None,
    dataset: DatasetOpt = None,
    tokenizer: TokenizerOpt = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model (default: the file's base_model).")] = None,
    vram: VramOpt = None,
    gpu: GpuOpt = None,
    framework: FrameworkFlag = FrameworkOpt.peft,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe.")
    ] = FailOn.error,
    fix: Annotated[bool, typer.Option("--fix", help="Write a corrected copy to -o (YAML / JSON configs).")] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Where --fix writes.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")] = False,
) -> None:
    """Check an existing config or script against the guide's rules and the target tool's pitfalls."""
    from ftguide.catalog import resolve_gpu
    from ftguide.check import SEVERITY_ORDER, fixed_text, worst
    from ftguide.check import check as run_check
    from ftguide.output import dump_json, write_files, write_stdout

    if fix and output is None:
        raise InputError("--fix: needs -o PATH for the corrected file")
    card = resolve_gpu(gpu) if gpu else None
    budget = vram if vram is not None else (card.memory_gib if card else None)
    if dataset:
        examples = _read_dataset(dataset, tokenizer).examples
    report = run_check(file, examples=examples, model=model, gpu=card, budget_gib=budget, framework=framework.value)
    if fix and output is not None:
        write_files({Path(output): fixed_text(file, report)}, force=force)
    if output_format is Format.table:
        from ftguide.output import print_findings

        print_findings(report)
    else:
        write_stdout(dump_json(report.to_json()))
    if fail_on is not FailOn.never and worst(report.findings) >= SEVERITY_ORDER[fail_on.value]:
        raise typer.Exit(1)


@app.command()
def diagnose(
    log: Annotated[
        str | None,
        typer.Option("--log", help="trainer_state.json, an output folder, a JSONL log or an Axolotl/TRL console log."),
    ] = None,
    symptom: Annotated[
        str | None,
        typer.Option("--symptom", help="loss-flat, loss-nan, garbage, oom or overfitting (if you already know)."),
    ] = None,
    profile_file: Annotated[
        str | None,
        typer.Option("--profile", help="The run's config: a profile, suggest document, Axolotl YAML or script."),
    ] = None,
    samples: Annotated[
        str | None,
        typer.Option("--samples", help='JSON file of generated texts (a list, or {"samples": [...]}).'),
    ] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
) -> None:
    """Diagnose a run from its log or a symptom: what went wrong, at which step, and the new values to use."""
    from ftguide.diagnose import diagnose as run_diagnose
    from ftguide.output import dump_json, write_stdout

    profile = None
    if profile_file is not None:
        from ftguide.catalog import resolve_model
        from ftguide.check import complete_profile, read

        checked = read(Path(profile_file))
        spec = checked.values.get("base_model")
        try:
            arch = resolve_model(str(spec)) if spec else None
        except InputError:
            arch = None
        profile = complete_profile(checked.values, arch, None)
        if profile is None:
            raise InputError(f"--profile: {profile_file} does not make a valid profile")
    texts = None
    if samples is not None:
        doc = read_document(samples, "--samples")
        texts = doc.get("samples") if isinstance(doc, dict) else doc
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise InputError('--samples: expected a JSON list of strings or {"samples": [strings]}')
    result = run_diagnose(log=log, symptom=symptom, profile=profile, samples=texts)
    if output_format is Format.table:
        from ftguide.output import print_diagnosis

        print_diagnosis(result)
    else:
        write_stdout(dump_json(result.model_dump(mode="json")))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the `suggest --format json` document."""
    from ftguide.models import SuggestResult
    from ftguide.output import dump_json, write_stdout

    write_stdout(dump_json(SuggestResult.model_json_schema()))


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code (LR001) or symbol to show in full.")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """List every rule ftguide applies, or show one with its documentation."""
    from ftguide.output import dump_json, dump_yaml, write_stdout
    from ftguide.rules import all_rules, get_rule

    chosen = all_rules()
    if code is not None:
        found = get_rule(code)
        if found is None:
            raise InputError(f"CODE: no rule {code!r} (run `ftguide rules` for the list)")
        chosen = [found]
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
    if output_format is Format.json:
        write_stdout(dump_json(docs))
    elif output_format is Format.yaml:
        write_stdout(dump_yaml(docs))
    elif code is not None:
        write_stdout(f"{docs[0]['code']} {docs[0]['symbol']} ({docs[0]['severity']}, {docs[0]['kind']})\n\n")
        write_stdout(f"{docs[0]['doc']}\n")
    else:
        for d in docs:
            write_stdout(f"{d['code']}  {d['symbol']:<38} {d['kind']:<8} {d['summary']}\n")


@app.command()
def models(output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """List the model catalog."""
    from ftguide.catalog import ARCHITECTURES
    from ftguide.output import dump_json, dump_yaml, write_stdout

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
    if output_format is Format.json:
        write_stdout(dump_json(rows))
    elif output_format is Format.yaml:
        write_stdout(dump_yaml(rows))
    else:
        for r in rows:
            size = f"[{r['size_class']}]" if r["size_class"] else ""
            write_stdout(f"{r['name']:<22} {r['params_b']:>7.2f}B {size:<7} {r['hf_id']}\n")


@app.command()
def gpus(output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """List the GPU catalog."""
    from dataclasses import asdict

    from ftguide.catalog import GPU_CATALOG
    from ftguide.output import dump_json, dump_yaml, write_stdout

    rows = [asdict(g) | {"aliases": list(g.aliases)} for g in GPU_CATALOG]
    if output_format is Format.json:
        write_stdout(dump_json(rows))
    elif output_format is Format.yaml:
        write_stdout(dump_yaml(rows))
    else:
        for g in GPU_CATALOG:
            flags = ", ".join(n for n, on in (("bf16", g.bf16), ("flash-attn", g.flash_attention)) if on)
            write_stdout(f"{g.name:<18} {g.memory_gib:>6.1f} GiB  sm {g.compute_capability or '-':<5} {flags}\n")


def _click_exceptions() -> Any:
    """The click exception module typer uses (recent typer vendors its own copy of click)."""
    try:
        from typer._click import exceptions  # type: ignore[import-not-found]
    except ImportError:  # typer releases that depend on click itself
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def main(argv: list[str] | None = None) -> None:
    """Entry point: every bad input ends as one line on stderr and exit code 2."""
    from ftguide.output import err

    exceptions = _click_exceptions()
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="ftguide", standalone_mode=False)
    except exceptions.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
        sys.exit(0)
    except exceptions.UsageError as exc:
        err(f"ftguide: error: {_one_line(exc.format_message())}")
        sys.exit(2)
    except exceptions.ClickException as exc:
        err(f"ftguide: error: {_one_line(exc.format_message())}")
        sys.exit(exc.exit_code)
    except InputError as exc:
        err(f"ftguide: error: {_one_line(str(exc))}")
        sys.exit(2)
    except RenderError as exc:  # a value ftguide could not write safely: refuse rather than write it wrong
        err(f"ftguide: error: cannot render this profile safely ({_one_line(str(exc))})")
        sys.exit(2)
    except (typer.Exit, getattr(exceptions, "Exit", typer.Exit)) as exc:
        sys.exit(getattr(exc, "exit_code", 0))
    except (typer.Abort, KeyboardInterrupt):
        err("ftguide: aborted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _one_line(text: str) -> str:
    return " ".join(text.split())
