"""The rule registry: every table of the hyperparameter guide, each as one function.

A rule is a pure function of a :class:`Context` that yields the :class:`Fix` es it wants.  There are two kinds:

* ``default`` rules propose a value for a field nobody set yet (the guide's starting points);
* ``check`` rules yield a fix only when a value breaks the guide (a range, a pairing, a card's limits).

Every other code ftguide can print lives here too, so that ``ftguide rules CODE`` documents all of them:
``axolotl`` rules judge an Axolotl YAML as written (keys, pairs Axolotl rejects), ``script`` rules a training
script, ``memory`` rules the memory estimate, and ``fit`` the fitter's own decisions.  Findings of those kinds
are made with :func:`report`, which takes symbol and severity from the registry.

``suggest`` runs every rule in order: defaults fill the empty fields, checks correct the values ftguide chose
and turn into warnings for the values the user chose.  ``check`` runs the check rules alone over a finished
profile, so advice and lint come from the same declarations and cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ftguide.catalog import GPU, Architecture
from ftguide.models import Finding, Severity

Kind = Literal["default", "check", "axolotl", "script", "memory", "fit", "notice"]
PROFILE_KINDS: tuple[Kind, ...] = ("default", "check")


@dataclass(frozen=True)
class Fix:
    """A value a rule wants for a field, and why."""

    field: str
    value: Any
    reason: str


@dataclass
class Context:
    """What rules see: the facts of the run and the profile values so far."""

    values: dict[str, Any]
    examples: int | None = None
    arch: Architecture | None = None
    gpu: GPU | None = None
    num_gpus: int = 1
    budget_gib: float | None = None
    task: str | None = None
    alpha_pattern: str = "standard"
    user_fields: frozenset[str] = field(default_factory=frozenset)
    dataset: dict[str, Any] | None = None
    """``DatasetStats`` of the --dataset file, as plain data."""
    framework: str = "peft"
    """The target whose training path is priced (``peft``, ``unsloth`` or ``axolotl``)."""

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def has(self, *names: str) -> bool:
        return all(self.values.get(n) is not None for n in names)

    @property
    def effective_batch(self) -> int | None:
        if not self.has("batch_size", "gradient_accumulation_steps"):
            return None
        return int(self.values["batch_size"]) * int(self.values["gradient_accumulation_steps"]) * self.num_gpus

    @property
    def train_examples(self) -> int | None:
        if self.examples is None:
            return None
        held_out = round(self.examples * float(self.get("val_set_size", 0.0)))
        return max(1, self.examples - held_out)

    def steps_per_epoch(self) -> int | None:
        """Optimizer steps per epoch, counted the way the HF Trainer counts them."""
        train = self.train_examples
        if train is None or not self.has("batch_size", "gradient_accumulation_steps"):
            return None
        batches = math.ceil(train / (int(self.values["batch_size"]) * self.num_gpus))
        accum = int(self.values["gradient_accumulation_steps"])
        return max(batches // accum + int(batches % accum > 0), 1)

    def total_steps(self) -> int | None:
        per_epoch = self.steps_per_epoch()
        if per_epoch is None or not self.has("num_epochs"):
            return None
        return max(1, math.ceil(per_epoch * float(self.values["num_epochs"])))


RuleFunc = Callable[..., Iterable[Any]]


@dataclass(frozen=True)
class Rule:
    code: str
    symbol: str
    severity: Severity
    kind: Kind
    fields: tuple[str, ...]
    func: RuleFunc
    order: int

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.symbol

    def section(self, title: str) -> str:
        """The text under a ``Why`` / ``Example`` heading of the docstring."""
        lines = [ln.strip() for ln in self.doc.splitlines()]
        out: list[str] = []
        inside = False
        for line in lines:
            if line.rstrip(":") in ("Why", "Example", "Table"):
                inside = line.rstrip(":") == title
                continue
            if inside:
                out.append(line)
        return "\n".join(out).strip()

    def __call__(self, ctx: Context) -> list[Fix]:
        return list(self.func(ctx))


REGISTRY: list[Rule] = []


def rule(
    code: str,
    symbol: str,
    *,
    order: int,
    kind: Kind,
    fields: tuple[str, ...],
    severity: Severity = "warning",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule. Codes are two letters for the group and three digits, never reused.

    ``order`` places the rule in the pass: a rule may read only what rules of a lower order decided.
    """

    def register(func: RuleFunc) -> RuleFunc:
        if any(r.code == code for r in REGISTRY):
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY.append(Rule(code, symbol, severity, kind, fields, func, order))
        REGISTRY.sort(key=lambda r: r.order)
        return func

    return register


def get_rule(code_or_symbol: str) -> Rule | None:
    key = code_or_symbol.strip().lower()
    for r in all_codes():
        if r.code.lower() == key or r.symbol == key:
            return r
    return None


def all_rules() -> list[Rule]:
    """The rules that judge a profile (``default`` and ``check``), in pass order."""
    return [r for r in all_codes() if r.kind in PROFILE_KINDS]


def all_codes() -> list[Rule]:
    """Every code ftguide can print: profile rules, then target, memory and fit codes."""
    _load()
    return sorted(REGISTRY, key=lambda r: (r.kind not in PROFILE_KINDS, r.order, r.code))


def rules_of(kind: Kind) -> list[Rule]:
    return [r for r in all_codes() if r.kind == kind]


def report(
    code: str, field: str, value: Any, recommended: Any, message: str, severity: Severity | None = None
) -> Finding:
    """A finding for a registered code; its symbol and (unless given) severity come from the registry."""
    found = get_rule(code)
    if found is None or found.code != code:
        raise KeyError(f"finding code {code} is not registered")
    return Finding(
        code=code,
        symbol=found.symbol,
        severity=severity or found.severity,
        field=field,
        value=value,
        recommended=recommended,
        message=message,
    )


def _load() -> None:
    from ftguide.rules import attention, axolotl, data, hardware, lora, memory, notices, scripts, training  # noqa: F401  (registers the rules)


def iter_check_fixes(ctx: Context) -> Iterator[tuple[Rule, Fix]]:
    for r in all_rules():
        if r.kind == "check":
            for fix in r(ctx):
                yield r, fix
