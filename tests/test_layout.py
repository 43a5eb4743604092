"""The layout's promises: data flows one way, no import cycles, a thin CLI, and every code documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ftguide.rules import all_codes, get_rule

SRC = Path(__file__).resolve().parents[1] / "src" / "ftguide"

#: Modules below the rules: they may not reach back up into rules, the engine, the commands or the CLI.
LOWER = ("render", "output", "fit", "memory", "schedule", "streams", "files", "models", "errors", "versions")
LOWER_PACKAGES = ("catalog", "targets")
UPPER = ("ftguide.rules", "ftguide.engine", "ftguide.check", "ftguide.diagnose", "ftguide.cli", "ftguide.emit")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every ftguide module ``path`` imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ftguide"):
            # The root package is the public facade (``__version__`` and lazy API functions): not a layer.
            if node.module != "ftguide":
                found.add(node.module)
            for alias in node.names:  # from ftguide import memory -> ftguide.memory
                candidate = f"{node.module}.{alias.name}"
                if (SRC.parent / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("ftguide"))
    return found


GRAPH = {_module_name(p): _imports(p) for p in SRC.rglob("*.py")}


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_import_cycles_between_modules() -> None:
    """Tarjan over the module graph; modules of one package (the rule registry loading its rules) count as one."""
    graph: dict[str, set[str]] = {}
    for module, deps in GRAPH.items():
        if module == "ftguide":
            continue
        graph.setdefault(_package(module), set()).update(_package(d) for d in deps if _package(d) != _package(module))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize(
    "module",
    sorted(m for m in GRAPH if m.split(".")[1:2] and (m.split(".")[1] in LOWER or m.split(".")[1] in LOWER_PACKAGES)),
)
def test_lower_modules_do_not_import_upwards(module: str) -> None:
    upward = sorted(d for d in GRAPH[module] if d.startswith(UPPER))
    assert upward == [], f"{module} imports {upward}"


def test_cli_holds_no_parsing_and_no_domain_logic() -> None:
    source = (SRC / "cli.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"json", "yaml", "ast", "csv", "math"}
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "open" not in calls
    for name in ("ftguide.memory", "ftguide.fit", "ftguide.rules.lora", "ftguide.render"):
        assert name not in GRAPH["ftguide.cli"] or name == "ftguide.render"


def test_every_code_ftguide_can_print_is_documented() -> None:
    """Every code literal in the source (``"AX001"``, ``RULE = "MM002"``) is a registered, documented rule."""
    pattern = re.compile(r"""["']([A-Z]{2}\d{3})["']""")
    emitted = {code for path in SRC.rglob("*.py") for code in pattern.findall(path.read_text(encoding="utf-8"))}
    assert len(emitted) >= 40
    for code in sorted(emitted):
        found = get_rule(code)
        assert found is not None, f"{code} is printed but not in the registry"
        assert found.section("Why"), f"{code} has no Why section"
        assert found.section("Example"), f"{code} has no Example section"


def test_codes_are_unique_and_well_formed() -> None:
    codes = [r.code for r in all_codes()]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z]{2}\d{3}", c) for c in codes)
    symbols = [r.symbol for r in all_codes()]
    assert len(symbols) == len(set(symbols))
