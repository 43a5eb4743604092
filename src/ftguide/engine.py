"""From a request to a finished, explained profile: rules, then memory fit, then a final lint."""

from __future__ import annotations

from typing import Any

from ftguide import fit as fitting
from ftguide.catalog import GPU, Architecture, expand_targets, is_size_class, resolve_gpu, resolve_model
from ftguide.errors import InputError
from ftguide.models import (
    Decision,
    Finding,
    Framework,
    MemoryEstimate,
    Overrides,
    Profile,
    Request,
    SuggestResult,
    VramRequest,
)
from ftguide.rules import Context, all_rules, iter_check_fixes

USER = "USER"
#: The loss of each training path that never holds the full fp32 logits (``--chunked-cross-entropy`` is refused).
CHUNKLESS_LOSS = {
    "peft": "the peft path (the default), TRL's SFTTrainer",
    "unsloth": "the unsloth path, Unsloth's fused loss",
}


def resolve_budget(request: Request) -> tuple[GPU | None, float | None]:
    gpu = resolve_gpu(request.gpu) if request.gpu else None
    budget = request.vram_gib if request.vram_gib is not None else (gpu.memory_gib if gpu else None)
    return gpu, budget


def user_values(request: Request, arch: Architecture) -> dict[str, Any]:
    """The overrides, with ``target_modules`` expanded to the model's module names and checked."""
    given = request.overrides.given()
    if "target_modules" in given:
        names = expand_targets(given["target_modules"], arch)
        unknown = [n for n in names if n not in arch.all_modules]
        if not names or unknown:
            allowed = ", ".join(("qv", "attention", "all", *arch.all_modules))
            bad = ", ".join(unknown) or "(empty)"
            raise InputError(f"--target-modules: {bad} not in {arch.name}; allowed: {allowed}")
        given["target_modules"] = names
    return given


def trained_model(spec: str, arch: Architecture) -> tuple[str, str]:
    """What the rendered files train, and why: the model the user named, with the catalog supplying only facts.

    A hub id (an Instruct or chat variant, a pre-quantized repo, any fine-tune) is trained as typed; a local
    folder or config.json is trained from its folder; a size class or a catalog name trains the entry's id.
    """
    text = spec.strip()
    if arch.source != "catalog":
        folder = arch.hf_id
        return folder, f"local model folder {folder} (architecture read from {arch.source})"
    if "/" in text and not is_size_class(text):
        if text.lower() == arch.hf_id.lower():
            return text, f"--model {text!r}: catalog entry {arch.name}"
        return text, f"--model {text!r} trained as given; architecture facts from catalog entry {arch.name}"
    return arch.hf_id, f"--model {text!r} resolves to catalog entry {arch.name} ({arch.hf_id})"


def _context(request: Request, arch: Architecture, gpu: GPU | None, budget: float | None) -> Context:
    return Context(
        values={},
        examples=request.examples,
        arch=arch,
        gpu=gpu,
        num_gpus=request.num_gpus,
        budget_gib=budget,
        task=request.task,
        alpha_pattern=request.alpha_pattern,
        dataset=request.dataset_stats,
        framework=request.framework,
    )


def apply_rules(
    request: Request,
    arch: Architecture,
    gpu: GPU | None,
    budget: float | None,
    trace: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, Decision]]:
    """Run every rule once, in order: defaults fill empty fields, checks correct ftguide's own values.

    ``trace``, when given, receives every step in order, including values later replaced and rules a user's
    value breaks: what ``suggest --explain`` prints.
    """
    events: list[dict[str, Any]] = trace if trace is not None else []
    ctx = _context(request, arch, gpu, budget)
    user = user_values(request, arch)
    ctx.user_fields = frozenset(user)
    decisions: dict[str, Decision] = {}
    fixed_inputs = {
        "base_model": trained_model(request.model, arch),
        "num_gpus": (request.num_gpus, "--gpus"),
        "dataset_format": (request.dataset_format, "--dataset-format"),
        "dataset_path": (request.dataset_path, "--dataset-path"),
        "output_dir": (request.output_dir, "--output-dir"),
    }
    for name, (value, reason) in fixed_inputs.items():
        ctx.values[name] = value
        decisions[name] = Decision(field=name, value=value, rule="INPUT", reason=reason)
        events.append({"field": name, "value": value, "rule": "INPUT", "step": "input", "reason": reason})
    for name, value in user.items():
        ctx.values[name] = value
        decisions[name] = Decision(field=name, value=value, rule=USER, reason="given on the command line")
        events.append({"field": name, "value": value, "rule": USER, "step": "override", "reason": "command line"})
    for r in all_rules():
        for fix in r(ctx):
            current = ctx.values.get(fix.field)
            if fix.field in user:
                if r.kind == "check":
                    events.append(
                        {
                            "field": fix.field,
                            "value": current,
                            "rule": r.code,
                            "step": "kept (warning)",
                            "reason": f"{fix.reason}; recommended {fix.value!r}",
                        }
                    )
                continue
            if r.kind == "default" and current is not None:
                continue
            if current == fix.value:
                continue
            ctx.values[fix.field] = fix.value
            note = fix.reason if r.kind == "default" or current is None else f"{fix.reason} (was {current})"
            decisions[fix.field] = Decision(field=fix.field, value=fix.value, rule=r.code, reason=note)
            events.append(
                {
                    "field": fix.field,
                    "value": fix.value,
                    "rule": r.code,
                    "step": "default" if current is None else "corrected",
                    "reason": note,
                }
            )
    values = dict(ctx.values)
    values["effective_batch_size"] = ctx.effective_batch
    return values, decisions


def lint(
    profile: Profile,
    *,
    examples: int | None = None,
    arch: Architecture | None = None,
    gpu: GPU | None = None,
    budget_gib: float | None = None,
    task: str | None = None,
) -> list[Finding]:
    """Every check rule against a finished profile: what ``ftguide check`` reports."""
    ctx = Context(
        values=profile.model_dump(),
        examples=examples,
        arch=arch,
        gpu=gpu,
        num_gpus=profile.num_gpus,
        budget_gib=budget_gib,
        task=task,
    )
    findings = []
    for r, fix in iter_check_fixes(ctx):
        findings.append(
            Finding(
                code=r.code,
                symbol=r.symbol,
                severity=r.severity,
                field=fix.field,
                value=ctx.values.get(fix.field),
                recommended=fix.value,
                message=fix.reason,
            )
        )
    return findings


def suggest(request: Request, trace: list[dict[str, Any]] | None = None) -> SuggestResult:
    """The whole pipeline behind ``ftguide suggest`` (``trace`` collects every step, for --explain)."""
    sharding = request.overrides.distributed
    if request.num_gpus == 1 and sharding not in (None, "none"):
        raise InputError(f"--sharding {sharding}: needs --gpus 2 or more (one GPU runs unsharded)")
    if request.overrides.chunked_cross_entropy and request.framework != "axolotl":
        raise InputError(
            f"--chunked-cross-entropy: Axolotl only (--emit axolotl); on "
            f"{CHUNKLESS_LOSS.get(request.framework, request.framework)} never holds the full fp32 logits, so "
            "there is nothing to chunk"
        )
    arch = resolve_model(request.model)
    gpu, budget = resolve_budget(request)
    values, decisions = apply_rules(request, arch, gpu, budget, trace)
    try:
        profile = Profile.model_validate(values)
    except ValueError as exc:  # a combination of overrides the profile cannot hold
        raise InputError(f"profile: {_first_error(exc)}") from None
    fixed = frozenset(request.overrides.given())
    result = fitting.fit(profile, arch, request.framework, budget, fixed)
    for decision in result.decisions:
        decisions[decision.field] = decision
        if trace is not None:
            trace.append(
                {
                    "field": decision.field,
                    "value": decision.value,
                    "rule": decision.rule,
                    "step": "memory fit",
                    "reason": decision.reason,
                }
            )
    final = result.profile
    if trace is not None:
        trace.append(
            {
                "field": "effective_batch_size",
                "value": final.effective_batch_size,
                "rule": "BA001",
                "step": "derived",
                "reason": "batch_size x gradient_accumulation_steps x num_gpus",
            }
        )
    decisions["effective_batch_size"] = Decision(
        field="effective_batch_size",
        value=final.effective_batch_size,
        rule="BA001",
        reason=f"{final.batch_size} x {final.gradient_accumulation_steps} x {final.num_gpus} GPU(s), "
        f"in the guide's range for {request.examples} examples",
    )
    ordered = [decisions[name] for name in Profile.model_fields if name in decisions]
    warnings = lint(result.profile, examples=request.examples, arch=arch, gpu=gpu, budget_gib=budget, task=request.task)
    from ftguide.schedule import build_schedule

    plan = build_schedule(
        result.profile, arch, request.examples, request.framework, gpu, budget, dataset=request.dataset_stats
    )
    return SuggestResult(
        inputs=request,
        profile=result.profile,
        memory=result.memory,
        schedule=plan,
        decisions=ordered,
        warnings=warnings,
    )


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "value"
        return f"{where}: {first.get('msg', exc)}"
    return str(exc)


def memory_path(emit: str | None, framework: str | None) -> Framework:
    """The training path to price: ``--framework`` if given, else the ``--emit`` target's; both must agree."""
    from ftguide.targets import get_target

    if emit is None:
        return framework or "peft"  # type: ignore[return-value]
    target = get_target(emit)
    if framework is not None and framework != target.memory_path:
        raise InputError(
            f"--framework {framework} with --emit {emit}: the {emit} file trains on the {target.memory_path} "
            f"memory path; drop --framework (or use --framework {target.memory_path})"
        )
    return target.memory_path


def saved_profile(doc: Any) -> tuple[Profile, list[Decision], dict[str, Any] | None]:
    """A profile, its decisions and its inputs from a saved ``suggest`` document or a bare profile."""
    from pydantic import ValidationError

    if not isinstance(doc, dict):
        raise InputError("PROFILE: expected a JSON/YAML object (a profile or a `suggest --format json` document)")
    body = doc.get("profile", doc)
    raw_decisions = doc.get("decisions") or []
    raw_inputs = doc.get("inputs")
    if not isinstance(raw_decisions, list):
        raise InputError("PROFILE: decisions: expected a list of decisions")
    if raw_inputs is not None and not isinstance(raw_inputs, dict):
        raise InputError("PROFILE: inputs: expected a mapping (the inputs of a suggest document)")
    try:
        profile = Profile.model_validate(body)
        decisions = [Decision.model_validate(d) for d in raw_decisions]
        inputs = Request.model_validate(raw_inputs).model_dump(mode="json") if raw_inputs else None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "profile"
        raise InputError(f"PROFILE: {where}: {first.get('msg')}") from None
    return profile, decisions, inputs


def estimate_vram(request: VramRequest) -> MemoryEstimate:
    """``ftguide vram``: the memory of an explicit configuration, without any rule changing it."""
    from ftguide.memory import memory_estimate

    arch = resolve_model(request.model)
    card = resolve_gpu(request.gpu) if request.gpu else None
    budget = request.vram_gib if request.vram_gib is not None else (card.memory_gib if card else None)
    targets = user_values(
        Request(examples=1, model=request.model, overrides=Overrides(target_modules=request.target_modules)), arch
    )["target_modules"]
    if request.num_gpus == 1 and request.distributed not in (None, "none"):
        raise InputError(f"--sharding {request.distributed}: needs --gpus 2 or more (one GPU runs unsharded)")
    engine = "none" if request.num_gpus == 1 else (request.distributed or "ddp")
    optimizer = request.optimizer or ("adamw_torch_fused" if request.quantization == "none" else "adamw_8bit")
    try:
        profile = Profile(
            base_model=arch.hf_id,
            learning_rate=2e-4,
            num_epochs=1,
            batch_size=request.batch_size,
            gradient_accumulation_steps=1,
            effective_batch_size=request.batch_size * request.num_gpus,
            lora_r=request.lora_r,
            lora_alpha=2 * request.lora_r,
            lora_dropout=request.lora_dropout,
            target_modules=targets,
            warmup_ratio=0.03,
            lr_scheduler="cosine",
            max_seq_length=request.seq_len,
            quantization=request.quantization,
            gradient_checkpointing=request.gradient_checkpointing,
            optimizer=optimizer,
            precision="fp16" if card is not None and not card.bf16 else "bf16",
            num_gpus=request.num_gpus,
            distributed=engine,
        )
    except ValueError as exc:
        raise InputError(f"vram: {_first_error(exc)}") from None
    return memory_estimate(profile, arch, request.framework, budget)


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


def field_reasons(decisions: list[Decision] | None) -> dict[str, str]:
    """One short line per profile field naming the rule behind its value (the comments of rendered files)."""
    why: dict[str, str] = {name: "" for name in Profile.model_fields}
    for r in all_rules():
        for name in r.fields:
            if not why.get(name):
                why[name] = f"{r.code} {r.symbol}: {r.summary}"
    for d in decisions or []:
        why[d.field] = f"{d.rule}: {d.reason}"
    return why
