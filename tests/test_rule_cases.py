"""Every code in the rule registry, held to the pass/fail cases of its ``tests/rules/CODE.yaml``.

One YAML file per code (the idea of sqlfluff's per-rule test fixtures): ``rule: CODE`` and a list of
``cases``, each a named situation and its ``outcome``: ``fail`` (the code speaks up) or ``pass`` (it stays
quiet). ``tests/rules/README.md`` describes the keys; in short, a case runs through the stable entry point for
its rule's kind:

* ``lint`` (check rules): ``suggest(request)`` gives a base profile, ``profile:`` replaces fields of it, and
  ``engine.lint`` judges it; the hits are the findings;
* ``suggest`` (default and fit rules, or a check rule's warning about a user's value): the hits are the final
  decisions (their ``rule``) and the warnings;
* ``check`` (axolotl, script and memory rules, or any rule through a real file): an ``axolotl:`` mapping (or
  raw YAML text), a ``script:`` source or a ``profile_file:`` mapping is written to a temporary file and
  judged by ``ftguide.check.check``;
* ``rule``: the rule's function on a hand-built ``Context`` (for situations no valid profile can reach).

``fail`` holds when some hit carries the code and matches every key of ``expect`` (field, value, recommended,
severity, message substring); ``pass`` when none does. ``instead`` names a hit that must be present in a pass
case (who decides instead: the user, another rule, the fitter), so a pass case cannot pass by accident.
A case marked ``xfail: "<reason>"`` documents a rule bug; it runs strict, so fixing the bug turns it red until
the mark is removed.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from ftguide.catalog import resolve_gpu, resolve_model
from ftguide.check import check
from ftguide.engine import lint, resolve_budget, suggest
from ftguide.models import Profile, Request, SuggestResult
from ftguide.rules import Context, Rule, all_codes, get_rule

CASES_DIR = Path(__file__).parent / "rules"

FILE_KEYS = {"rule", "doc", "cases"}
CASE_KEYS = {
    "name",
    "doc",
    "outcome",
    "via",
    "request",
    "profile",
    "lint",
    "context",
    "axolotl",
    "script",
    "profile_file",
    "check",
    "expect",
    "instead",
    "xfail",
}
HIT_KEYS = {"code", "field", "value", "recommended", "severity", "message"}
LINT_KEYS = {"examples", "model", "gpu", "budget_gib", "task"}
CHECK_KEYS = {"examples", "model", "gpu", "budget_gib", "framework", "kind"}
CONTEXT_KEYS = {"values", "examples", "model", "gpu", "num_gpus", "budget_gib", "task", "alpha_pattern", "dataset"}
FILE_INPUTS = ("axolotl", "script", "profile_file")
VIAS = ("lint", "suggest", "check", "rule")
#: YAML 1.1 (PyYAML) reads ``1e-4`` as a string; in the structured parts of a case that is always a mistake.
NUMBER_LIKE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.code}::{self.name}"


def _files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.yaml"))


def _read(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict), f"{path.name}: expected a mapping with rule and cases"
    return doc


def _load_cases() -> list[Case]:
    cases = []
    for path in _files():
        doc = _read(path)
        for i, raw in enumerate(doc.get("cases") or []):
            name = raw.get("name") if isinstance(raw, dict) else None
            cases.append(Case(str(doc.get("rule")), str(name or f"case-{i}"), raw if isinstance(raw, dict) else {}))
    return cases


CASES = _load_cases()


def _params() -> list[Any]:
    out = []
    for case in CASES:
        reason = case.data.get("xfail")
        marks = [pytest.mark.xfail(reason=str(reason), strict=True)] if reason else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


# ------------------------------------------------------------------------------------------ the shape of files


def _number_like_strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [f"{where}: {value!r}"] if NUMBER_LIKE.match(value) else []
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _number_like_strings(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _number_like_strings(v, f"{where}[{i}]")]
    return []


def _problems(path: Path) -> list[str]:
    """Everything wrong with the layout of one case file (an empty list for a good one)."""
    doc = _read(path)
    problems = [f"unknown top-level key {k!r}" for k in sorted(set(doc) - FILE_KEYS)]
    code = doc.get("rule")
    found = get_rule(str(code)) if code else None
    if found is None or found.code != code:
        return [*problems, f"rule {code!r} is not a registered code"]
    if path.stem != code:
        problems.append(f"the file of {code} must be named {code}.yaml")
    cases = doc.get("cases")
    if not isinstance(cases, list) or not cases:
        return [*problems, "cases: expected a non-empty list"]
    names: set[str] = set()
    for i, case in enumerate(cases):
        if not isinstance(case, dict):
            problems.append(f"cases[{i}]: expected a mapping")
            continue
        name = case.get("name")
        where = f"case {name or i}"
        if not isinstance(name, str) or not NAME.match(name):
            problems.append(f"{where}: name must be lower-case kebab-case")
        elif name in names:
            problems.append(f"{where}: name used twice")
        names.add(str(name))
        problems += [f"{where}: unknown key {k!r}" for k in sorted(set(case) - CASE_KEYS)]
        if case.get("outcome") not in ("fail", "pass"):
            problems.append(f"{where}: outcome must be fail or pass")
        if "instead" in case and case.get("outcome") != "pass":
            problems.append(f"{where}: instead belongs to pass cases")
        if not case.get("doc"):
            problems.append(f"{where}: doc (where the case comes from) is missing")
        for key, allowed in (("expect", HIT_KEYS - {"code"}), ("instead", HIT_KEYS)):
            if key in case and not (isinstance(case[key], dict) and set(case[key]) <= allowed):
                problems.append(f"{where}: {key} takes only {sorted(allowed)}")
        for key, allowed in (("lint", LINT_KEYS), ("check", CHECK_KEYS), ("context", CONTEXT_KEYS)):
            if key in case and not (isinstance(case[key], dict) and set(case[key]) <= allowed):
                problems.append(f"{where}: {key} takes only {sorted(allowed)}")
        try:
            _via(found, case)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
        for key in ("request", "profile", "lint", "context", "check", "expect", "instead", "profile_file"):
            problems += [
                f"{where}: number written as a string in {s}" for s in _number_like_strings(case.get(key), key)
            ]
    return problems


def _via(rule: Rule, case: dict[str, Any]) -> str:
    """How a case runs: given by ``via``, else by its inputs and its rule's kind."""
    files = [k for k in FILE_INPUTS if k in case]
    if len(files) > 1:
        raise ValueError(f"only one of {', '.join(files)}")
    via = case.get("via") or (
        "check" if files else "rule" if "context" in case else "lint" if rule.kind == "check" else "suggest"
    )
    if via not in VIAS:
        raise ValueError(f"via must be one of {', '.join(VIAS)}")
    needs = {"lint": {"request"}, "suggest": {"request"}, "rule": {"context"}, "check": set()}[via]
    takes = {
        "lint": {"request", "profile", "lint"},
        "suggest": {"request"},
        "rule": {"context"},
        "check": {"check", *FILE_INPUTS},
    }[via]
    given = set(case) & {"request", "profile", "lint", "context", "check", *FILE_INPUTS}
    if via == "check" and not files:
        raise ValueError("via check needs one of axolotl, script, profile_file")
    if via == "rule" and rule.kind not in ("default", "check"):
        raise ValueError("via rule runs default and check rules only")
    if via == "lint" and rule.kind != "check":
        raise ValueError("via lint finds check rules only")
    if needs - given or given - takes:
        raise ValueError(f"via {via} needs {sorted(needs)} and takes only {sorted(takes)}, got {sorted(given)}")
    return str(via)


def test_case_files_exist_and_are_well_formed() -> None:
    files = _files()
    assert files, f"no case files in {CASES_DIR}"
    problems = {p.name: _problems(p) for p in files}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_registered_code_has_pass_and_fail_cases() -> None:
    """A new code without cases turns this red; so does a file without both outcomes."""
    by_code: dict[str, set[str]] = {}
    for case in CASES:
        if not case.data.get("xfail"):
            by_code.setdefault(case.code, set()).add(str(case.data.get("outcome")))
    missing = {
        r.code: sorted({"fail", "pass"} - by_code.get(r.code, set()))
        for r in all_codes()
        if {"fail", "pass"} - by_code.get(r.code, set())
    }
    assert missing == {}, "codes lacking a (non-xfail) fail or pass case in tests/rules/CODE.yaml"
    registered = {r.code for r in all_codes()}
    assert {c.code for c in CASES} <= registered
    assert {p.stem for p in _files()} <= registered


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


# ------------------------------------------------------------------------------------------------- running


@cache
def _suggest_json(key: str) -> SuggestResult:
    return suggest(Request.model_validate(json.loads(key)))


def _suggest(request: dict[str, Any]) -> SuggestResult:
    return _suggest_json(json.dumps(request, sort_keys=True))


def _hit(code: str, **values: Any) -> dict[str, Any]:
    return {"code": code, **values}


def _run_lint(case: dict[str, Any]) -> list[dict[str, Any]]:
    request = Request.model_validate(case["request"])
    base = _suggest(case["request"]).profile.model_dump()
    base.update(case.get("profile") or {})
    base["effective_batch_size"] = base["batch_size"] * base["gradient_accumulation_steps"] * base["num_gpus"]
    profile = Profile.model_validate(base)
    options = case.get("lint") or {}
    gpu, budget = resolve_budget(request)
    if "gpu" in options:
        gpu = resolve_gpu(options["gpu"]) if options["gpu"] else None
    findings = lint(
        profile,
        examples=options.get("examples", request.examples),
        arch=resolve_model(options.get("model", request.model)),
        gpu=gpu,
        budget_gib=options.get("budget_gib", budget),
        task=options.get("task", request.task),
    )
    return [f.model_dump() for f in findings]


def _run_suggest(case: dict[str, Any]) -> list[dict[str, Any]]:
    result = _suggest(case["request"])
    decisions = [_hit(d.rule, field=d.field, value=d.value, message=d.reason) for d in result.decisions]
    return decisions + [w.model_dump() for w in result.warnings]


def _run_check(case: dict[str, Any], tmp_path: Path) -> list[dict[str, Any]]:
    options = dict(case.get("check") or {})
    kind = options.pop("kind", None)
    if "script" in case:
        path = tmp_path / "train.py"
        path.write_text(str(case["script"]), encoding="utf-8")
        kind = kind or "python"
    else:
        key = "axolotl" if "axolotl" in case else "profile_file"
        content = case[key]
        path = tmp_path / ("config.yaml" if key == "axolotl" else "profile.yaml")
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        kind = kind or ("axolotl" if key == "axolotl" else "profile")
    if options.get("gpu"):
        options["gpu"] = resolve_gpu(options["gpu"])
    report = check(path, **options)
    assert report.kind == kind, f"the file was read as {report.kind}, not {kind}: the case does not test its rule"
    return [f.model_dump() for f in report.findings]


def _run_rule(rule: Rule, case: dict[str, Any]) -> list[dict[str, Any]]:
    spec = dict(case["context"])
    model, gpu = spec.pop("model", None), spec.pop("gpu", None)
    ctx = Context(
        values=dict(spec.pop("values", None) or {}),
        arch=resolve_model(model) if model else None,
        gpu=resolve_gpu(gpu) if gpu else None,
        **spec,
    )
    return [_hit(rule.code, field=fix.field, recommended=fix.value, message=fix.reason) for fix in rule(ctx)]


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(expected, list) and isinstance(actual, (list, tuple)):
        return len(actual) == len(expected) and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
    return bool(type(actual) is type(expected) and actual == expected) or (
        isinstance(expected, int) and isinstance(actual, float) and actual == expected
    )


def _matches(hit: dict[str, Any], want: dict[str, Any]) -> bool:
    for key, expected in want.items():
        if key == "message":
            if str(expected) not in str(hit.get("message", "")):
                return False
        elif key not in hit or not _same(hit[key], expected):
            return False
    return True


def _show(hits: list[dict[str, Any]]) -> str:
    keys = ("code", "field", "value", "recommended", "severity")
    return "\n".join("  " + ", ".join(f"{k}={h[k]!r}" for k in keys if k in h) for h in hits) or "  (nothing)"


@pytest.mark.parametrize("via", VIAS)
def test_runner_rejects_the_opposite_outcome(via: str, tmp_path: Path) -> None:
    """The runner can fail: each way of running a case, with its outcome turned round, is reported."""
    for case in CASES:
        rule = get_rule(case.code)
        if rule is None or case.data.get("xfail") or _via(rule, case.data) != via:
            continue
        flipped = {k: v for k, v in case.data.items() if k != "instead"}
        flipped["outcome"] = "pass" if case.data["outcome"] == "fail" else "fail"
        with pytest.raises(AssertionError):
            test_rule_case(Case(case.code, case.name, flipped), tmp_path)
        return
    pytest.fail(f"no case runs via {via}")


@pytest.mark.parametrize("case", _params())
def test_rule_case(case: Case, tmp_path: Path) -> None:
    rule = get_rule(case.code)
    assert rule is not None and rule.code == case.code, f"{case.code} is not registered"
    data = case.data
    via = _via(rule, data)
    if via == "lint":
        hits = _run_lint(data)
    elif via == "suggest":
        hits = _run_suggest(data)
    elif via == "check":
        hits = _run_check(data, tmp_path)
    else:
        hits = _run_rule(rule, data)
    want = dict(data.get("expect") or {}, code=case.code)
    matching = [h for h in hits if _matches(h, want)]
    if data["outcome"] == "fail":
        assert matching, f"{case.id}: expected a hit matching {want}, got:\n{_show(hits)}"
    else:
        assert not matching, f"{case.id}: expected no hit matching {want}, got:\n{_show(matching)}"
        instead = data.get("instead")
        if instead is not None:
            assert any(_matches(h, instead) for h in hits), f"{case.id}: no hit matching {instead}:\n{_show(hits)}"
