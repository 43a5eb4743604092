"""The ``ftguide`` command line: parse flags, build a request, call the core, hand the result to the output layer.

No domain logic and no file parsing live here: requests are built in :mod:`ftguide.engine`, files are read and
written by :mod:`ftguide.files`, and everything printed goes through :mod:`ftguide.output`.
"""

from __future__ import annotations

import os
import sys

# The command line needs no pydantic plugins, and discovering them scans every installed package's entry points
# (tens of milliseconds): skip it, before typer (which imports pydantic when it is installed) is imported.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, get_args

import typer

from ftguide import __version__
from ftguide.errors import ExitCode, InputError, RenderError
from ftguide.literals import (
    AlphaPattern,
    DatasetFormat,
    Distributed,
    Framework,
    Optimizer,
    Precision,
    Quantization,
    Scheduler,
    Severity,
    Task,
    TrainOn,
)
from ftguide.targets import TargetName

app = typer.Typer(
    name="ftguide",
    help="LoRA / QLoRA fine-tuning profiles that explain every value and fit your GPU.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _choices(name: str, values: tuple[str, ...]) -> Any:
    """A typer choice type whose values are exactly a model Literal's (one source for every enum)."""
    return Enum(name, {v: v for v in values}, type=str)


if TYPE_CHECKING:  # the choice types are built at run time from the models' Literals
    Format = Enum
    Target = Enum
    Quant = Enum
    FrameworkOpt = Enum
    Sched = Enum
    Optim = Enum
    Prec = Enum
    DataFmt = Enum
    Sharding = Enum
    TaskOpt = Enum
    AlphaOpt = Enum
    FailOn = Enum
    Command = Enum
    TrainOnOpt = Enum
else:
    Format = _choices("Format", ("table", "json", "yaml"))
    Target = _choices("Target", get_args(TargetName))
    Quant = _choices("Quant", get_args(Quantization))
    FrameworkOpt = _choices("FrameworkOpt", get_args(Framework))
    Sched = _choices("Sched", get_args(Scheduler))
    Optim = _choices("Optim", get_args(Optimizer))
    Prec = _choices("Prec", get_args(Precision))
    DataFmt = _choices("DataFmt", get_args(DatasetFormat))
    Sharding = _choices("Sharding", tuple(v for v in get_args(Distributed) if v != "none"))
    TaskOpt = _choices("TaskOpt", get_args(Task))
    AlphaOpt = _choices("AlphaOpt", get_args(AlphaPattern))
    FailOn = _choices("FailOn", (*get_args(Severity), "never"))
    Command = _choices("Command", ("suggest", "vram", "check", "diagnose"))
    TrainOnOpt = _choices("TrainOnOpt", get_args(TrainOn))
TABLE, STANDARD, FOUR_BIT, ERROR, SUGGEST = (
    Format("table"),
    AlphaOpt("standard"),
    Quant("4bit"),
    FailOn("error"),
    Command("suggest"),
)

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
    "distributed": "--sharding",
}


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"ftguide {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but the product and errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """LoRA / QLoRA fine-tuning profiles that explain every value and fit your GPU."""
    from ftguide import streams

    streams.QUIET = quiet


def _fail(message: str) -> NoReturn:
    raise InputError(message)


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
FrameworkFlag = Annotated[
    FrameworkOpt | None,
    typer.Option(
        "--framework", help="Training stack whose memory is modelled (default: the --emit target's, or peft)."
    ),
]
FormatFlag = Annotated[Format, typer.Option("--format", "-f", help="table (people), json or yaml (one document).")]
DatasetOpt = Annotated[
    str | None,
    typer.Option("--dataset", help="Read this JSON/JSONL/CSV/Parquet file: count, format, lengths."),
]
TokenizerOpt = Annotated[
    str | None, typer.Option("--tokenizer", help="Local tokenizer.json (or folder) for exact token counts.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing -o file.")]


def _quiet(value: bool) -> bool:
    from ftguide import streams

    if value:
        streams.QUIET = True
    return value


QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", callback=_quiet, help="Print nothing but the product and errors.")
]


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
    framework: FrameworkFlag = None,
    output_format: FormatFlag = TABLE,
    emit: Annotated[Target | None, typer.Option("--emit", help="Render the profile as this target's file.")] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write the --emit file(s) here: a file, or a folder (ending in /)."),
    ] = None,
    force: ForceOpt = False,
    quiet: QuietOpt = False,
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
    ] = STANDARD,
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
    embeddings_upcast: Annotated[
        bool | None,
        typer.Option(
            "--embeddings-upcast/--no-embeddings-upcast",
            help="Override: frozen embeddings / LM head in fp32 (default) or 16-bit in 4/8-bit runs.",
        ),
    ] = None,
    chunked_cross_entropy: Annotated[
        bool | None,
        typer.Option(
            "--chunked-cross-entropy/--no-chunked-cross-entropy",
            help="Override, Axolotl only: the fp32 loss one chunk of the logits at a time (the fitter turns it "
            "on when memory is short).",
        ),
    ] = None,
    optimizer: Annotated[Optim | None, typer.Option("--optimizer", help="Override.")] = None,
    precision: Annotated[Prec | None, typer.Option("--precision", help="Override: bf16 or fp16.")] = None,
    sharding: Annotated[
        Sharding | None, typer.Option("--sharding", help="Override the multi-GPU engine: ddp, fsdp, zero2, zero3.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the trace of every value: rule, input, table.")
    ] = False,
    train_on: Annotated[
        TrainOnOpt | None,
        typer.Option(
            "--train-on",
            help="Tokens that carry the loss in every target: responses (assistant turns, outputs, completions "
            "and their end-of-turn token; the default) or all (the prompts too).",
        ),
    ] = None,
    packing: Annotated[
        bool | None,
        typer.Option(
            "--packing/--no-packing",
            help="Pack several examples into each max_seq_length sequence (Axolotl sample_packing, TRL packing).",
        ),
    ] = None,
    clean_dataset: Annotated[
        str | None,
        typer.Option(
            "--clean-dataset",
            help="Write the --dataset rows ftguide accepts to this JSONL file and train on it (Axolotl stops at "
            "the first bad line; the scripts skip bad rows themselves). Replaced only with --force.",
        ),
    ] = None,
) -> None:
    """Recommend a complete, explained LoRA / QLoRA profile that fits the GPU."""
    from pydantic import ValidationError

    from ftguide import output as out
    from ftguide import streams
    from ftguide.engine import explanation, memory_path
    from ftguide.engine import suggest as run_suggest
    from ftguide.files import read_dataset
    from ftguide.models import Overrides, Request

    chosen_path = memory_path(_value(emit), _value(framework))
    stats = read_dataset(dataset, tokenizer) if dataset else None
    if clean_dataset is not None:
        from ftguide.dataset import write_clean

        if dataset is None or stats is None:
            raise InputError("--clean-dataset: needs --dataset, the file to clean")
        layout = dataset_format.value if dataset_format else stats.format
        kept = write_clean(dataset, clean_dataset, layout, force=force)
        streams.note(f"--clean-dataset: wrote the {kept} good rows of {dataset} to {clean_dataset}")
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
            framework=chosen_path,
            dataset_format=(dataset_format.value if dataset_format else stats.format if stats else "alpaca"),
            dataset_path=dataset_path or clean_dataset or dataset or "data/train.jsonl",
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
                embeddings_upcast=embeddings_upcast,
                chunked_cross_entropy=chunked_cross_entropy,
                optimizer=_value(optimizer),
                precision=_value(precision),
                distributed=_value(sharding),
                train_on=_value(train_on),
                packing=packing,
            ),
        )
    except ValidationError as exc:
        _fail(_validation_message(exc))

    trace: list[dict[str, Any]] = []
    result = run_suggest(request, trace)
    _note_unknown_family(model)
    if explain:
        out.emit_explanation(result, trace, explanation(result, trace), output_format.value)
        return
    if emit is not None:
        from ftguide.emit import emit_bundle

        emit_bundle(result, emit.value, output, force=force)
        _warn_target(result.profile, emit.value)
        if output is None or (streams.QUIET and output_format.value == "table"):
            return  # the rendered file was the product (or --quiet: the files written are)
    out.emit_suggestion(result, output_format.value)


def _note_unknown_family(model: str) -> None:
    """One note on stderr when ``--model`` is a config.json of a family ftguide has no record of.

    Such a config is read as a Llama-shaped decoder (one head_dim and KV-head count for every layer, a gated MLP, the
    Llama module names), which the memory model and the LoRA targets were never checked against.
    """
    from ftguide import streams
    from ftguide.catalog import find_family, resolve_model

    model_type = resolve_model(model).model_type
    if find_family(model_type) is None:
        shown = ascii(model_type[:60])
        streams.err(
            f"ftguide: note: --model: model_type {shown} is no family ftguide has a record of; it is read as a "
            "Llama-shaped decoder, so its memory and LoRA targets are unchecked (`ftguide models` lists the families)"
        )


def _warn_target(profile: Any, target: str) -> None:
    """One warning line on stderr when the target is known not to train this model's family."""
    from ftguide import streams
    from ftguide.render import memory_caveat, target_lacks_model, target_warning, targets_that_train

    warning = target_warning(profile, target)
    if warning:
        others = [f"--emit {t}" for t in targets_that_train(profile)]
        verb = "trains" if len(others) == 1 else "train"
        streams.err(f"ftguide: warning: --emit {target}: {warning}; {' and '.join(others)} {verb} it")
        if target_lacks_model(profile, target):
            return  # the file cannot load the model there: its memory is beside the point
    caveat = memory_caveat(profile, target)
    if caveat:
        streams.err(f"ftguide: note: --emit {target}: {caveat}")


@app.command()
def render(
    profile_file: Annotated[str, typer.Argument(metavar="PROFILE", help="Profile JSON/YAML file, or - for stdin.")],
    target: Annotated[Target, typer.Option("--target", "-t", help="axolotl, unsloth or peft.")],
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write here: a file, or a folder (ending in /).")
    ] = None,
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Render a saved (possibly hand-edited) profile, after validating it."""
    from ftguide.engine import field_reasons, saved_profile
    from ftguide.files import read_document, write_or_print
    from ftguide.render import render as do_render
    from ftguide.targets import get_target

    profile, decisions, inputs = saved_profile(read_document(profile_file, "PROFILE"))
    text = do_render(profile, target.value, inputs=inputs, decisions=decisions, why=field_reasons(decisions))
    write_or_print(text, output, get_target(target.value).file_name, force)
    _warn_target(profile, target.value)


@app.command()
def vram(
    model: ModelOpt,
    quant: Annotated[Quant, typer.Option("--quant", help="4bit, 8bit or none.")] = FOUR_BIT,
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
    framework: FrameworkFlag = None,
    gpus: GpusOpt = 1,
    sharding: Annotated[
        Sharding | None, typer.Option("--sharding", help="Multi-GPU engine with --gpus > 1 (default ddp).")
    ] = None,
    vram_gib: VramOpt = None,
    gpu: GpuOpt = None,
    output_format: FormatFlag = TABLE,
) -> None:
    """Estimate peak GPU memory for an explicit configuration, component by component."""
    from ftguide import output as out
    from ftguide.engine import VramRequest, estimate_vram

    request = VramRequest(
        model=model,
        quantization=quant.value,
        lora_r=lora_r,
        lora_dropout=lora_dropout,
        target_modules=target_modules,
        batch_size=batch_size,
        seq_len=seq_len,
        gradient_checkpointing=gradient_checkpointing,
        optimizer=_value(optimizer),
        framework=_value(framework) or "peft",
        num_gpus=gpus,
        distributed=_value(sharding),
        vram_gib=vram_gib,
        gpu=gpu,
    )
    estimate = estimate_vram(request)
    _note_unknown_family(model)
    out.emit_memory(estimate, output_format.value)


@app.command()
def check(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Axolotl YAMLs, ftguide profiles or Python scripts; several give one summary and one exit code.",
        ),
    ],
    examples: Annotated[
        int | None, typer.Option("--examples", "-n", min=1, help="Dataset size: enables the data rules.")
    ] = None,
    dataset: DatasetOpt = None,
    tokenizer: TokenizerOpt = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model (default: the file's base_model).")] = None,
    vram: VramOpt = None,
    gpu: GpuOpt = None,
    framework: FrameworkFlag = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (people), json or yaml (one document), github (workflow annotations) or sarif (SARIF 2.1.0).",
        ),
    ] = "table",
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe.")
    ] = ERROR,
    fix: Annotated[
        bool, typer.Option("--fix", help="Write a corrected copy to -o (YAML / JSON configs); changes go to stderr.")
    ] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Where --fix writes.")] = None,
    force: ForceOpt = False,
) -> None:
    """Check existing configs or scripts against the guide's rules and the target tool's pitfalls."""
    from ftguide import output as out
    from ftguide.catalog import resolve_gpu
    from ftguide.check import FORMATS, fix_file, run_check
    from ftguide.files import output_path, read_dataset, refuse_special, write_files
    from ftguide.streams import note

    for file in files:  # the readers of check open FILE themselves: no device, FIFO or giant file reaches them
        refuse_special(file, "FILE")
    if output_format not in FORMATS:
        raise InputError(f"--format: {output_format!r} is not one of {', '.join(FORMATS)}")
    if fix and output is None:
        raise InputError("--fix: needs -o PATH for the corrected file")
    if fix and len(files) != 1:
        raise InputError(f"--fix: one FILE at a time (got {len(files)}); it writes the corrected copy to -o PATH")
    card = resolve_gpu(gpu) if gpu else None
    budget = vram if vram is not None else (card.memory_gib if card else None)
    if dataset:
        examples = read_dataset(dataset, tokenizer).examples
    run = run_check(
        files,
        fail_on=fail_on.value,
        examples=examples,
        model=model,
        gpu=card,
        budget_gib=budget,
        framework=_value(framework),
    )
    if fix and output is not None and run.single is not None:
        text, changes = fix_file(files[0], run.single)
        write_files({output_path(output, files[0].name): text}, force=force)
        for change in changes or ["nothing to change"]:
            note(f"--fix: {change}")
    out.emit_report(run, output_format, run.exit_code)
    if run.exit_code:
        raise typer.Exit(run.exit_code)


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
    output_format: FormatFlag = TABLE,
) -> None:
    """Diagnose a run from its log or a symptom: what went wrong, at which step, and the new values to use."""
    from ftguide import output as out
    from ftguide.diagnose import diagnose as run_diagnose
    from ftguide.diagnose.profile import load_profile
    from ftguide.files import preflight, read_samples

    profile, path = None, "peft"
    if profile_file is not None:  # every refusal of the file names --profile
        preflight(profile_file, "--profile")
        profile, path = load_profile(profile_file, "--profile")
    texts = read_samples(samples) if samples is not None else None
    result = run_diagnose(log=log, symptom=symptom, profile=profile, samples=texts, framework=path)
    out.emit_diagnosis(result, output_format.value)


@app.command()
def schema(
    command: Annotated[
        Command, typer.Argument(help="Whose JSON document: suggest (default), vram, check or diagnose.")
    ] = SUGGEST,
) -> None:
    """Print the JSON Schema of a command's `--format json` document."""
    from ftguide.output import dump_json
    from ftguide.schemas import document_schema
    from ftguide.streams import write_stdout

    write_stdout(dump_json(document_schema(command.value)))


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code (LR001) or symbol to show in full.")] = None,
    output_format: FormatFlag = TABLE,
) -> None:
    """List every rule and finding code ftguide applies, or show one with its documentation."""
    from ftguide import output as out
    from ftguide.rules import all_codes, get_rule

    chosen = all_codes()
    if code is not None:
        found = get_rule(code)
        if found is None:
            raise InputError(f"CODE: no rule {code!r} (run `ftguide rules` for the list)")
        chosen = [found]
    out.emit_rules(chosen, output_format.value, single=code is not None)


@app.command()
def models(output_format: FormatFlag = TABLE) -> None:
    """List the model catalog."""
    from ftguide import output as out

    out.emit_models(output_format.value)


@app.command()
def gpus(output_format: FormatFlag = TABLE) -> None:
    """List the GPU catalog."""
    from ftguide import output as out

    out.emit_gpus(output_format.value)


def _click_exceptions() -> Any:
    """The click exception module typer uses (recent typer vendors its own copy of click)."""
    try:
        from typer._click import exceptions  # type: ignore[import-not-found]
    except ImportError:  # typer releases that depend on click itself
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point, and the one error boundary around every command, its start-up and its output.

    Whatever happens ends as at most one line on stderr and a documented exit code, never a traceback: bad
    input (a flag, a file, a stream, a value) exits 2 naming it; a stdout nobody reads any more (``| head``,
    ``>&-``) exits 1 quietly; Ctrl-C exits 130; a failure ftguide did not foresee is one "internal error"
    line and exit 70 (``FTGUIDE_DEBUG=1`` prints its traceback too).
    """
    import signal

    from ftguide import streams

    previous = _on_sigint(streams.interrupted_now)  # nothing to undo yet: Ctrl-C ends the process at once
    restore_stdout = streams.guard_streams()
    try:
        _on_sigint(signal.default_int_handler)  # from here Ctrl-C unwinds, so a write can clean up after itself
        code = _run(argv)
    except BaseException as exc:  # the boundary: every exception ends here as one line and an exit code
        _on_sigint(streams.interrupted_now)
        try:
            code = _report(exc)
        except BaseException:  # the report itself must not become a traceback
            streams.err("ftguide: internal error while reporting an error (FTGUIDE_DEBUG=1 shows it)")
            code = ExitCode.INTERNAL_ERROR
    _on_sigint(streams.interrupted_now)
    failure = streams.stdout_failure()  # what is still buffered must reach stdout now, not at Python's exit
    if failure is not None:
        streams.drop_stdout()
        if isinstance(failure, streams.OutputFailed) and code in (ExitCode.OK, ExitCode.FINDINGS):
            streams.err(f"ftguide: error: cannot write standard output: {failure}")
            code = ExitCode.BAD_INPUT
        elif code == ExitCode.OK:
            code = ExitCode.OUTPUT_CLOSED
    restore_stdout()
    if previous is not None:
        _on_sigint(previous)
    sys.exit(code)


def _on_sigint(handler: Any) -> Any:
    """Install ``handler`` for SIGINT and return the previous one (None where signals cannot be set)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    try:
        return signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError):
        return None


def _run(argv: list[str] | None) -> int:
    from ftguide.streams import err, write_stdout

    exceptions = _click_exceptions()
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="ftguide", standalone_mode=False)
    except exceptions.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            write_stdout(exc.ctx.get_help() + "\n")
        return ExitCode.OK
    if code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C inside a command into exit 130
        err("ftguide: interrupted")
    return code if isinstance(code, int) else ExitCode.OK


def _report(exc: BaseException) -> int:
    """The one line for ``exc`` on stderr, and the exit code it means."""
    from pydantic import ValidationError

    from ftguide import streams
    from ftguide.streams import err

    exceptions = _click_exceptions()
    if isinstance(exc, SystemExit):  # rich and click end a broken pipe with exit 1 themselves
        return exc.code if isinstance(exc.code, int) else (ExitCode.OK if exc.code is None else ExitCode.BAD_INPUT)
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        err("ftguide: interrupted")
        return ExitCode.INTERRUPTED
    if isinstance(exc, (streams.OutputClosed, BrokenPipeError)):
        streams.drop_stdout()
        return ExitCode.OUTPUT_CLOSED
    if isinstance(exc, streams.OutputFailed):
        streams.drop_stdout()
        err(f"ftguide: error: cannot write standard output: {exc}")
        return ExitCode.BAD_INPUT
    if isinstance(exc, typer.Exit):
        return int(exc.exit_code)
    if isinstance(exc, exceptions.UsageError):
        err(f"ftguide: error: {_one_line(exc.format_message())}")
        return ExitCode.BAD_INPUT
    if isinstance(exc, exceptions.ClickException):
        err(f"ftguide: error: {_one_line(exc.format_message())}")
        return int(exc.exit_code)
    if isinstance(exc, InputError):
        err(f"ftguide: error: {_one_line(str(exc))}")
        return ExitCode.BAD_INPUT
    if isinstance(exc, ValidationError):  # a value that passed the flag parser but not the model's bounds
        err(f"ftguide: error: {_one_line(_validation_message(exc))}")
        return ExitCode.BAD_INPUT
    if isinstance(exc, RenderError):  # a value ftguide could not write safely: refuse rather than write it wrong
        err(f"ftguide: error: cannot render this profile safely ({_one_line(str(exc))})")
        return ExitCode.BAD_INPUT
    if isinstance(exc, OSError) and exc.filename is not None:  # a reader that let an OSError through
        from ftguide.files import os_reason, shown

        err(f"ftguide: error: cannot use {shown(exc.filename)}: {os_reason(exc)}")
        return ExitCode.BAD_INPUT
    if isinstance(exc, MemoryError):
        err("ftguide: error: out of memory (an input far larger than ftguide handles?)")
        return ExitCode.BAD_INPUT
    if os.environ.get("FTGUIDE_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    detail = _one_line(f"{type(exc).__name__}: {exc}")
    err(
        f"ftguide: internal error: {detail[:300]} (a bug in ftguide {__version__}; please report it with "
        "the command line; FTGUIDE_DEBUG=1 shows the traceback)"
    )
    return ExitCode.INTERNAL_ERROR


def _one_line(text: str) -> str:
    return " ".join(text.split())
