#!/usr/bin/env python3
"""Read Unsloth's public call signatures from its source, without importing it (stdlib ``ast`` only).

    python3 tests/tools/unsloth_signatures.py [UNSLOTH_SRC] [--extra NAME ...]

UNSLOTH_SRC is the folder ``ci/toolenvs.sh`` fills with the unzipped ``unsloth`` and ``unsloth_zoo`` wheels
(default: ``${FTGUIDE_TOOLENVS:-<repo>/.toolenvs}/unsloth-src``). Unsloth cannot be imported on a CPU-only
machine, so this follows the code statically, the way a call from a user script resolves on a GPU box:

* ``import unsloth`` -> ``unsloth/__init__.py`` (GPU path: the ``if _IS_MLX:`` branch and the
  ``except _CPUBackendSelected:`` fallback are skipped) -> star imports, honouring ``__all__``;
* a class attribute is looked up along the (statically resolved) base classes, e.g.
  ``FastLanguageModel.get_peft_model`` -> ``unsloth/models/loader.py``;
* a thin forwarding wrapper -- ``def f(*args, **kwargs)`` or ``def f(model, *args, **kwargs)`` decorated with
  ``functools.wraps(TARGET)`` or ending in ``return TARGET(model, *args, **kwargs)`` -- is followed to
  TARGET, whose parameters are what the call really accepts (``FastLanguageModel.get_peft_model`` ->
  ``FastLlamaModel.get_peft_model`` in ``models/llama.py``).

Output (stdout, JSON), one entry per callable::

    {"FastLanguageModel.from_pretrained": {"params": [...], "var_kwargs": true, "var_args": true,
        "kwonly": [...], "defaults": {"name": "source text"}, "kwargs_read": [...],
        "defined_at": "unsloth/models/loader.py:1241", "via": [...]}, ...,
     "unsloth.exports": [...], "unsloth.export_origins": {...}, "versions": {...}}

``params`` lists every named parameter a caller may pass (positional and keyword-only; ``cls``/``self``
dropped for classmethods and methods), ``var_kwargs`` tells whether ``**kwargs`` is accepted, and
``kwargs_read`` lists the keys the function body reads from ``kwargs`` (``kwargs.get("x")``,
``kwargs["x"]``, ``kwargs.pop("x")``, ``"x" in kwargs``), i.e. extra keywords it knows about. Exit 1 when a
default target cannot be resolved (so a test notices an Unsloth refactor), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TARGETS = [
    "FastLanguageModel.from_pretrained",
    "FastLanguageModel.get_peft_model",
    "FastModel.from_pretrained",
    "FastModel.get_peft_model",
    "train_on_responses_only",
    "unsloth_zoo.dataset_utils.train_on_responses_only",
    "is_bfloat16_supported",
    "get_chat_template",
    "standardize_sharegpt",
]
# Names a generated script may import from `unsloth`; their origins are reported.
KEY_EXPORTS = [
    "FastLanguageModel",
    "FastModel",
    "FastVisionModel",
    "is_bfloat16_supported",
    "is_bf16_supported",
    "get_chat_template",
    "standardize_sharegpt",
    "standardize_data_formats",
    "train_on_responses_only",
    "apply_chat_template",
    "to_sharegpt",
    "UnslothTrainer",
    "UnslothTrainingArguments",
]

_SKIP_IF_NAMES = {"_IS_MLX"}  # `if _IS_MLX:` -> take the else branch (Apple MLX backend)
_SKIP_EXCEPT_NAMES = {"_CPUBackendSelected"}  # CPU fallback of unsloth/__init__.py


class ResolveError(Exception):
    pass


@dataclass
class Binding:
    kind: str  # "def" (FunctionDef/ClassDef), "assign", "import" (from-import), "module"
    module: str  # module that holds the binding (for "import": the source module)
    node: ast.AST | None = None
    name: str | None = None  # for "import": the imported name


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    is_package: bool
    bindings: dict[str, Binding] = field(default_factory=dict)
    all_names: list[str] | None = None
    star_sources: list[str] = field(default_factory=list)


class Source:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._modules: dict[str, Module | None] = {}
        self._exports: dict[str, dict[str, Binding]] = {}
        self._in_progress: set[str] = set()

    # -------------------------------------------------------------------------------------------- modules
    def module(self, name: str) -> Module | None:
        if name in self._modules:
            return self._modules[name]
        rel = Path(*name.split("."))
        mod = None
        for path, is_pkg in ((self.root / rel / "__init__.py", True), (self.root / rel.with_suffix(".py"), False)):
            if path.is_file():
                tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
                mod = Module(name, path, tree, is_pkg)
                break
        self._modules[name] = mod
        if mod is not None:
            self._collect(mod, mod.tree.body)
        return mod

    def _abs_module(self, mod: Module, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        parts = mod.name.split(".")
        if not mod.is_package:
            parts = parts[:-1]
        if node.level > 1:
            parts = parts[: len(parts) - (node.level - 1)]
        return ".".join(parts + ([node.module] if node.module else []))

    def _collect(self, mod: Module, body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                mod.bindings[node.name] = Binding("def", mod.name, node)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                fallback = isinstance(node.value, ast.Constant) and node.value.value is None
                for name in _target_names(targets):
                    # `x = None` (an import fallback) never hides a real definition of x.
                    if not (fallback and name in mod.bindings):
                        mod.bindings[name] = Binding("assign", mod.name, node)
                self._maybe_all(mod, node)
            elif isinstance(node, ast.AugAssign):
                self._maybe_all(mod, node)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self._maybe_all(mod, node.value)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    mod.bindings[local] = Binding("module", alias.name if alias.asname else local)
            elif isinstance(node, ast.ImportFrom):
                src = self._abs_module(mod, node)
                for alias in node.names:
                    if alias.name == "*":
                        mod.star_sources.append(src)
                        for name, b in self.exports(src).items():
                            mod.bindings[name] = b
                    else:
                        mod.bindings[alias.asname or alias.name] = Binding("import", src, None, alias.name)
            elif isinstance(node, ast.Delete):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        mod.bindings.pop(t.id, None)
            elif isinstance(node, ast.If):
                names = {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}
                if names & _SKIP_IF_NAMES:
                    self._collect(mod, node.orelse)
                else:
                    self._collect(mod, node.body)
                    self._collect(mod, node.orelse)
            elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                # Handlers first, then the body: what the try body binds (the normal path) wins over the
                # fallbacks bound in `except` blocks.
                for handler in node.handlers:
                    caught = set()
                    for n in ast.walk(handler.type) if handler.type else ():
                        if isinstance(n, ast.Name):
                            caught.add(n.id)
                        elif isinstance(n, ast.Attribute):
                            caught.add(n.attr)
                    if not caught & _SKIP_EXCEPT_NAMES:
                        self._collect(mod, handler.body)
                self._collect(mod, node.body)
                self._collect(mod, node.orelse)
                self._collect(mod, node.finalbody)
            elif isinstance(node, ast.With):
                self._collect(mod, node.body)

    @staticmethod
    def _maybe_all(mod: Module, node: ast.AST) -> None:
        def strs(value: ast.AST) -> list[str] | None:
            if isinstance(value, (ast.List, ast.Tuple)):
                return [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            return None

        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            mod.all_names = strs(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            mod.all_names = strs(node.value) if node.value else None
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            mod.all_names = (mod.all_names or []) + (strs(node.value) or [])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "__all__"
        ):
            if node.func.attr == "append" and node.args and isinstance(node.args[0], ast.Constant):
                mod.all_names = (mod.all_names or []) + [node.args[0].value]
            elif node.func.attr == "extend" and node.args:
                mod.all_names = (mod.all_names or []) + (strs(node.args[0]) or [])

    def exports(self, name: str) -> dict[str, Binding]:
        """What `from <name> import *` binds (empty for modules outside UNSLOTH_SRC)."""
        if name in self._exports:
            return self._exports[name]
        if name in self._in_progress:
            return {}
        self._in_progress.add(name)
        try:
            mod = self.module(name)
            if mod is None:
                out: dict[str, Binding] = {}
            elif mod.all_names is not None:
                out = {n: mod.bindings.get(n, Binding("import", name, None, n)) for n in mod.all_names}
            else:
                out = {n: b for n, b in mod.bindings.items() if not n.startswith("_")}
        finally:
            self._in_progress.discard(name)
        self._exports[name] = out
        return out

    # -------------------------------------------------------------------------------------------- resolving
    def resolve_binding(self, b: Binding, depth: int = 0) -> Binding:
        """Follow imports and plain aliases (X = Y) to the binding that defines the object."""
        if depth > 30:
            raise ResolveError("import chain too deep")
        if b.kind == "import":
            mod = self.module(b.module)
            if mod is None:
                raise ResolveError(f"{b.module}.{b.name} is outside the unsloth sources")
            if b.name in mod.bindings:
                return self.resolve_binding(mod.bindings[b.name], depth + 1)
            if self.module(f"{b.module}.{b.name}") is not None:
                return Binding("module", f"{b.module}.{b.name}")
            raise ResolveError(f"{b.module} has no {b.name}")
        if b.kind == "assign":
            value = getattr(b.node, "value", None)
            if isinstance(value, (ast.Name, ast.Attribute)):
                return self.resolve_expr(b.module, value, depth + 1)
        return b

    def resolve_expr(self, module: str, expr: ast.AST, depth: int = 0) -> Binding:
        if isinstance(expr, ast.Name):
            mod = self.module(module)
            if mod is None or expr.id not in mod.bindings:
                raise ResolveError(f"{expr.id} is not bound in {module}")
            return self.resolve_binding(mod.bindings[expr.id], depth)
        if isinstance(expr, ast.Attribute):
            base = self.resolve_expr(module, expr.value, depth)
            return self.attribute(base, expr.attr, depth)
        raise ResolveError(f"cannot resolve {ast.unparse(expr)}")

    def attribute(self, base: Binding, attr: str, depth: int = 0) -> Binding:
        if base.kind == "module":
            mod = self.module(base.module)
            if mod is None:
                raise ResolveError(f"module {base.module} is outside the unsloth sources")
            if attr in mod.bindings:
                return self.resolve_binding(mod.bindings[attr], depth + 1)
            if self.module(f"{base.module}.{attr}") is not None:
                return Binding("module", f"{base.module}.{attr}")
            raise ResolveError(f"{base.module} has no {attr}")
        if base.kind == "def" and isinstance(base.node, ast.ClassDef):
            for cls_binding in self.mro(base):
                for node in cls_binding.node.body:
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == attr:
                        return Binding("def", cls_binding.module, node, name=cls_binding.node.name)
                    if isinstance(node, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == attr for t in node.targets
                    ):
                        value = node.value
                        if (
                            isinstance(value, ast.Call)
                            and isinstance(value.func, ast.Name)
                            and value.func.id in ("staticmethod", "classmethod")
                            and value.args
                        ):
                            value = value.args[0]
                        return self.resolve_expr(cls_binding.module, value, depth + 1)
            raise ResolveError(f"class {base.node.name} has no attribute {attr}")
        raise ResolveError(f"cannot take .{attr} of a {base.kind} binding")

    def mro(self, cls: Binding) -> list[Binding]:
        out, todo = [], [cls]
        while todo:
            cur = todo.pop(0)
            if any(c.node is cur.node for c in out):
                continue
            out.append(cur)
            for base in cur.node.bases:
                try:
                    b = self.resolve_expr(cur.module, base)
                except ResolveError:
                    continue  # e.g. a transformers base class: outside the sources
                if b.kind == "def" and isinstance(b.node, ast.ClassDef):
                    todo.append(b)
        return out

    def rel(self, module: str) -> str:
        mod = self.module(module)
        return str(mod.path.relative_to(self.root)) if mod else module


def _target_names(targets: list[ast.AST]) -> list[str]:
    """Names bound by assignment targets (`a = ...`, `a, b = ...`), not `a.b = ...` or `a[i] = ...`."""
    out: list[str] = []
    for t in targets:
        if isinstance(t, ast.Name):
            out.append(t.id)
        elif isinstance(t, (ast.Tuple, ast.List)):
            out += _target_names(list(t.elts))
        elif isinstance(t, ast.Starred):
            out += _target_names([t.value])
    return out


def _forward_target(fn: ast.FunctionDef) -> ast.AST | None:
    """TARGET of a `@functools.wraps(TARGET)` wrapper that takes only (*args, **kwargs) (+ 1 positional)."""
    a = fn.args
    if not (a.vararg and a.kwarg and not a.kwonlyargs and len(a.posonlyargs) + len(a.args) <= 1):
        return None
    for dec in fn.decorator_list:
        if isinstance(dec, ast.Call) and dec.args:
            func = dec.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "wraps":
                return dec.args[0]
    # No functools.wraps: a body ending in `return TARGET(..., *args, **kwargs)` forwards as well.
    last = fn.body[-1] if fn.body else None
    if isinstance(last, ast.Return) and isinstance(last.value, ast.Call):
        call = last.value
        star = any(
            isinstance(x, ast.Starred) and isinstance(x.value, ast.Name) and x.value.id == a.vararg.arg
            for x in call.args
        )
        dstar = any(
            k.arg is None and isinstance(k.value, ast.Name) and k.value.id == a.kwarg.arg for k in call.keywords
        )
        if star and dstar:
            return call.func
    return None


def _decorator_names(fn: ast.FunctionDef) -> set[str]:
    out = set()
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Name):
            out.add(target.id)
        elif isinstance(target, ast.Attribute):
            out.add(target.attr)
    return out


def _kwargs_read(fn: ast.FunctionDef) -> list[str]:
    kw = fn.args.kwarg.arg if fn.args.kwarg else None
    if not kw:
        return []
    keys: set[str] = set()
    for node in ast.walk(fn):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == kw
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            keys.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == kw
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            keys.add(node.slice.value)
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and isinstance(node.comparators[0], ast.Name)
            and node.comparators[0].id == kw
        ):
            keys.add(node.left.value)
    return sorted(keys)


def describe(src: Source, b: Binding, via: list[str] | None = None) -> dict:
    via = list(via or [])
    for _ in range(10):
        if b.kind != "def" or not isinstance(b.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise ResolveError(f"not a function: {b.kind} in {b.module}")
        fn = b.node
        label = f"{src.rel(b.module)}:{fn.lineno} {(b.name + '.') if b.name else ''}{fn.name}"
        target = _forward_target(fn)
        if target is None:
            break
        via.append(f"{label} (wrapper, forwards *args/**kwargs to {ast.unparse(target)})")
        b = src.resolve_expr(b.module, target)
    a = fn.args
    positional = [p.arg for p in a.posonlyargs + a.args]
    decorators = _decorator_names(fn)
    if b.name and "staticmethod" not in decorators and positional:  # classmethod or plain method
        positional = positional[1:]
    defaults: dict[str, str] = {}
    pos_nodes = (a.posonlyargs + a.args)[-len(a.defaults) :] if a.defaults else []
    for p, d in zip(pos_nodes, a.defaults, strict=True):
        defaults[p.arg] = ast.unparse(d)
    for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if d is not None:
            defaults[p.arg] = ast.unparse(d)
    kwonly = [p.arg for p in a.kwonlyargs]
    return {
        "params": positional + kwonly,
        "var_kwargs": a.kwarg is not None,
        "var_args": a.vararg is not None,
        "kwonly": kwonly,
        "defaults": {k: v for k, v in defaults.items() if k in positional + kwonly},
        "kwargs_read": _kwargs_read(fn),
        "defined_at": f"{src.rel(b.module)}:{fn.lineno}",
        "via": via,
    }


def lookup(src: Source, dotted: str) -> dict:
    """`A.b` / `name` as imported from `unsloth`, or a full dotted path into unsloth / unsloth_zoo."""
    parts = dotted.split(".")
    if parts[0] in ("unsloth", "unsloth_zoo"):
        # longest module prefix
        for i in range(len(parts), 0, -1):
            if src.module(".".join(parts[:i])) is not None:
                b, rest = Binding("module", ".".join(parts[:i])), parts[i:]
                break
        else:
            raise ResolveError(f"no module for {dotted}")
    else:
        exports = src.exports("unsloth")
        if parts[0] not in exports:
            raise ResolveError(f"`from unsloth import {parts[0]}` does not resolve")
        b, rest = src.resolve_binding(exports[parts[0]]), parts[1:]
    for attr in rest:
        b = src.attribute(b, attr)
    return describe(src, b)


def _dist_version(root: Path, dist: str) -> str | None:
    for info in root.glob(f"{dist}-*.dist-info"):
        for line in (info / "METADATA").read_text(encoding="utf-8").splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    return None


def main(argv: list[str] | None = None) -> int:
    default_root = Path(os.environ.get("FTGUIDE_TOOLENVS", Path(__file__).resolve().parents[2] / ".toolenvs"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", nargs="?", type=Path, default=default_root / "unsloth-src")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="NAME",
        help="another callable, e.g. FastModel.for_inference or unsloth_zoo.x.y (repeatable)",
    )
    args = parser.parse_args(argv)
    root: Path = args.src
    if not (root / "unsloth" / "__init__.py").is_file():
        parser.error(f"{root} holds no unsloth/__init__.py (run ci/toolenvs.sh unsloth-src)")

    src = Source(root.resolve())
    out: dict = {
        "versions": {"unsloth": _dist_version(root, "unsloth"), "unsloth_zoo": _dist_version(root, "unsloth_zoo")}
    }
    failed = []
    for name in DEFAULT_TARGETS + args.extra:
        try:
            out[name] = lookup(src, name)
        except ResolveError as exc:
            out[name] = {"error": str(exc)}
            failed.append(name)
    exports = src.exports("unsloth")
    out["unsloth.exports"] = sorted(exports)
    origins = {}
    for name in KEY_EXPORTS:
        if name not in exports:
            origins[name] = None
            continue
        try:
            b = src.resolve_binding(exports[name])
            line = getattr(b.node, "lineno", None)
            origins[name] = f"{src.rel(b.module)}" + (f":{line}" if line else "")
        except ResolveError as exc:
            origins[name] = f"unresolved: {exc}"
    out["unsloth.export_origins"] = origins
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
