"""Property-based fuzzing of every reader and writer the CLI has, bounded in time.

Hypothesis builds hostile inputs by class: documents for ``render``, ``check`` and ``diagnose`` (valid ones
with fields retyped, huge numbers, deep nesting, YAML tags and aliases, binary, truncation), config.json
files for ``--model``, datasets, training logs, hostile paths for every path flag, failing and closed
stdout, and Ctrl-C at a random moment.  The property is the CLI's promise:

* the exit code is 0, 1 or 2 (130 after Ctrl-C), never an "internal error" (70);
* exit 2 prints exactly one ``ftguide: error:`` line on stderr;
* no ``Traceback`` and no ``Exception ignored`` anywhere, and no staged ``.tmp`` file is left behind.

CI runs a few dozen examples per class (about a minute in all).  ``FTGUIDE_FUZZ_EXAMPLES=N`` runs N per
class, for a long local session: ``FTGUIDE_FUZZ_EXAMPLES=3000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftguide.cli import main

EXAMPLES = int(os.environ.get("FTGUIDE_FUZZ_EXAMPLES", "0"))


def budget(ci_examples: int) -> Any:
    """The example count of one class: small in CI, FTGUIDE_FUZZ_EXAMPLES in a long local session."""
    return settings(
        max_examples=EXAMPLES or ci_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


# ------------------------------------------------------------------------------------------ running


def invoke(argv: list[str], stdout: Any = None) -> tuple[int, str, str]:
    out = stdout if stdout is not None else io.StringIO()
    err = io.StringIO()
    code: Any = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    text = out.getvalue() if isinstance(out, io.StringIO) else ""
    return code if isinstance(code, int) else -1, text, err.getvalue()


def promise_kept(argv: list[str], code: int, out: str, err: str, folder: Path | None = None) -> None:
    """The CLI's promise, for one run."""
    where = (argv, code, err[-2000:])
    for text in (out, err):
        assert "Traceback" not in text and "Exception ignored" not in text, where
    assert "internal error" not in err, where
    assert code in (0, 1, 2), where
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ftguide: error: "), where
    if folder is not None:
        left = [p.name for p in folder.rglob("*.tmp")]
        assert not left, (argv, left)


# ------------------------------------------------------------------------------------------ strategies

HOSTILE_STRINGS = [
    "",
    " ",
    "[/]",
    "[bold]x[/bold]",
    "\x1b[31mred\x1b[0m",
    ":smile:",
    "chatml...",
    "...",
    "data...",
    "a" * 300,
    "-",
    "--force",
    "../../etc/passwd",
    "~/x",
    "\u202e\u2028\x85",
    "é" * 3,
    "\ud800",
    "1e309",
    "nan",
    "inf",
    "null",
    "yes",
    "0x10",
    "2024-01-01",
    "{{ 7*7 }}",
    "'; import os #",
    "\n".join(["a"] * 5),
    "q_proj",
    "all",
]
INTERESTING_INTS = [0, -1, 1, 2**31, 2**63, -(2**63) - 1, 10**19, 10**30, 10**300, 4096, 4097, 1_048_577]
INTERESTING_FLOATS = [0.0, -0.0, 1e-300, 1e300, float("inf"), float("-inf"), float("nan"), 0.999999, 1.0, 2e-4]

strings = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=40))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(INTERESTING_INTS),
    st.floats(),
    st.sampled_from(INTERESTING_FLOATS),
    strings,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(strings, st.sampled_from(["path", "type", "lora_r", "profile"])), inner, max_size=4),
    ),
    max_leaves=12,
)


@lru_cache(maxsize=1)
def bases() -> dict[str, Any]:
    """Valid documents to start from: a suggest document, its profile, an Axolotl YAML, a rendered script."""
    code, out, err = invoke(["suggest", "-n", "800", "--model", "7B", "--format", "json"])
    assert code == 0, err
    doc = json.loads(out)
    example = ROOT / "examples" / "small-7b-8gb"
    code, script, err = invoke(["render", "--target", "peft", str(example / "suggest.json")])
    return {
        "suggest": doc,
        "profile": doc["profile"],
        "axolotl": yaml.safe_load((example / "axolotl.yaml").read_text()),
        "script": script if code == 0 else (example / "train.py").read_text(),
        "config": {
            "hidden_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "intermediate_size": 128,
            "vocab_size": 1000,
            "model_type": "llama",
            "architectures": ["LlamaForCausalLM"],
        },
    }


def _keys_of(doc: Any) -> list[tuple[Any, ...]]:
    """Every key path of a nested document."""
    paths: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                paths.append((*path, key))
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                paths.append((*path, i))
                stack.append((item, (*path, i)))
    return paths


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with one to four key paths replaced by hostile values (or new hostile keys added)."""
    doc = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 4))):
        paths = _keys_of(doc)
        if not paths or (draw(st.booleans()) and isinstance(doc, dict)):
            doc[draw(strings)] = draw(values)
            continue
        path = draw(st.sampled_from(paths))
        target = doc
        for part in path[:-1]:
            target = target[part]
        if draw(st.integers(0, 5)) == 0 and isinstance(target, dict):
            del target[path[-1]]
        else:
            target[path[-1]] = draw(values)
    return doc


TYPED_EDGES: dict[type, Any] = {
    int: st.sampled_from([0, 1, 2, 3, 15, 16, 1000, 4096, 4097, 16384, 1_048_576, 2**32 - 1, 10**18]),
    float: st.sampled_from([0.0, 1e-300, 1e-9, 0.5, 0.999999, 1.0, 100.0, 1e300]),
    bool: st.booleans(),
    str: strings,
    list: st.lists(st.one_of(st.sampled_from(["q_proj", "v_proj", "o_proj", "x.y", "a-b", ""]), strings), max_size=5),
}


@st.composite
def typed(draw: st.DrawFn, kind: str) -> Any:
    """A valid document with some fields set to extreme values of their own type (past the type check)."""
    doc = json.loads(json.dumps(bases()[kind]))
    target = doc["profile"] if kind == "suggest" else doc
    names = [k for k, v in target.items() if type(v) in TYPED_EDGES]
    for name in draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=6)):
        target[name] = draw(TYPED_EDGES[type(target[name])])
    if "effective_batch_size" in target and draw(st.booleans()):
        b, g, n = (target.get(k) for k in ("batch_size", "gradient_accumulation_steps", "num_gpus"))
        if all(isinstance(v, int) for v in (b, g, n)):
            target["effective_batch_size"] = b * g * n
    return doc


def _dump(doc: Any, form: str) -> bytes:
    if form == "json":
        return json.dumps(doc, ensure_ascii=_has_surrogate(doc)).encode("utf-8", "surrogatepass")
    try:
        return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass")
    except yaml.YAMLError:
        return json.dumps(doc).encode("utf-8", "surrogatepass")


def _has_surrogate(doc: Any) -> bool:
    return "\\ud800" in json.dumps(doc)


YAML_FRAGMENTS = [
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x: null}\n",
    "a: &x [1]\nb: *x\n",
    "a: !!python/object/apply:os.system ['true']\n",
    "a: .inf\n",
    "a: 2024-01-01\n",
    "? [a, b]\n: c\n",
    "1: 2\n",
    "null: x\n",
    "a: !!omap [{x: 1}]\n",
    "a: !!pairs [{x: 1}]\n",
    "a: !!timestamp 2024-01-01\n",
    "a: 0o777\n",
    "%YAML 1.1\n---\na: 1\n",
    "--- a\n--- b\n",
    "a: 'unterminated\n",
    "\t- tab\n",
    "a:\n  - b\n - c\n",
]


@st.composite
def documents(draw: st.DrawFn, kinds: tuple[str, ...] = ("suggest", "profile", "axolotl")) -> tuple[bytes, str]:
    """Bytes of a hostile document and the file suffix it is saved under."""
    form = draw(st.sampled_from(["json", "yaml"]))
    shapes = ["mutated", "mutated", "typed", "typed", "value", "deep", "binary", "digits", "yaml", "cut"]
    shape = draw(st.sampled_from(shapes))
    if shape == "typed":
        data = _dump(draw(typed(draw(st.sampled_from(kinds)))), form)
    elif shape == "mutated":
        data = _dump(draw(mutated(bases()[draw(st.sampled_from(kinds))])), form)
    elif shape == "value":
        data = _dump(draw(values), form)
    elif shape == "deep":
        depth = draw(st.sampled_from([10, 63, 64, 65, 100, 1000, 5000, 100_000]))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ("- ", ""), ("a:\n" + " ", "")]))
        if opener.startswith("a:"):
            data = "".join(" " * i + "a:\n" for i in range(min(depth, 2000))).encode() + b" " * 2000 + b"1\n"
        else:
            data = (opener * depth + ("1" if "{" in opener or "-" in opener else "") + closer * depth).encode()
    elif shape == "binary":
        data = draw(st.binary(max_size=200))
    elif shape == "digits":
        digits = draw(st.sampled_from([19, 20, 400, 4300, 4301, 5000, 20_000]))
        key = draw(st.sampled_from(["lora_r", "learning_rate", "micro_batch_size", "seed"]))
        data = (f'{{"{key}": ' + "9" * digits + "}").encode() if form == "json" else f"{key}: {'9' * digits}\n".encode()
        form = "json" if form == "json" else "yaml"
    elif shape == "yaml":
        parts = draw(st.lists(st.sampled_from(YAML_FRAGMENTS), min_size=1, max_size=3))
        data = (yaml.safe_dump(bases()["profile"]) + "".join(parts)).encode()
        form = "yaml"
    else:
        whole = _dump(bases()[draw(st.sampled_from(kinds))], form)
        cut = draw(st.integers(0, len(whole)))
        data = whole[:cut] + draw(st.binary(max_size=8))
    return data, ".json" if form == "json" else draw(st.sampled_from([".yaml", ".yml"]))


@st.composite
def scripts(draw: st.DrawFn) -> bytes:
    """A rendered script, cut, or with hostile calls added (check reads scripts with ast, never runs them)."""
    text = bases()["script"]
    shape = draw(st.sampled_from(["calls", "cut", "binary", "deep"]))
    if shape == "cut":
        return text[: draw(st.integers(0, len(text)))].encode()
    if shape == "binary":
        return draw(st.binary(max_size=300))
    if shape == "deep":
        return ("x = " + "[" * draw(st.sampled_from([100, 1000, 100_000])) + "]" * 10).encode()
    name = draw(
        st.sampled_from(["TrainingArguments", "SFTConfig", "LoraConfig", "BitsAndBytesConfig", "from_pretrained"])
    )
    key = draw(
        st.sampled_from(
            [
                "per_device_train_batch_size",
                "learning_rate",
                "r",
                "lora_alpha",
                "target_modules",
                "num_train_epochs",
                "load_in_4bit",
                "bf16",
                "warmup_steps",
                "max_seq_length",
            ]
        )
    )
    literal = draw(
        st.sampled_from(
            [
                "'abc'",
                "[1]",
                "{}",
                "None",
                "float('inf')",
                "1e999",
                "-1",
                "9" * 5000,
                "(1, 2)",
                "b'x'",
                "...",
                "[[[[1]]]]",
                "{'a': {1: 2}}",
                "True",
                "10**10",
            ]
        )
    )
    return (text + f"\nx = {name}({key}={literal})\n").encode()


# --------------------------------------------------------------------------------------- the properties

TARGETS = ["axolotl", "peft", "unsloth"]


@budget(60)
@given(doc=documents(), target=st.sampled_from(TARGETS), to_file=st.booleans())
def test_render_keeps_its_promise(doc: tuple[bytes, str], target: str, to_file: bool) -> None:
    data, suffix = doc
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / f"p{suffix}").write_bytes(data)
        argv = ["render", "--target", target, str(folder / f"p{suffix}")]
        if to_file:
            argv += ["-o", str(folder / "out") + "/"]
        promise_kept(argv, *invoke(argv), folder)


@budget(60)
@given(
    doc=documents(),
    fix=st.booleans(),
    script=st.one_of(st.none(), scripts()),
    fmt=st.sampled_from(["table", "json", "github", "sarif"]),
)
def test_check_keeps_its_promise(doc: tuple[bytes, str], fix: bool, script: bytes | None, fmt: str) -> None:
    data, suffix = doc
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / ("s.py" if script is not None else f"c{suffix}")
        path.write_bytes(script if script is not None else data)
        argv = ["check", str(path), "--format", fmt]
        if fix and script is None:
            argv += ["--fix", "-o", str(folder / "fixed") + "/"]
        promise_kept(argv, *invoke(argv), folder)


LOG_LINES = [
    '{"loss": 1.0, "step": 1}',
    '{"loss": NaN, "step": 2}',
    '{"loss": Infinity, "step": 3}',
    '{"loss": "abc", "step": 4}',
    '{"loss": 1e999, "step": 99999999999999999999999}',
    "{'loss': 2.0, 'learning_rate': 0.0002, 'epoch': 0.1}",
    "{'loss': nan, 'grad_norm': inf}",
    '{"eval_loss": [1], "step": -1}',
    '{"log_history": 5}',
    '{"log_history": [{"loss": {}}]}',
    "[" * 1000,
    "\x00\xff garbage",
    "",
]


@st.composite
def logs(draw: st.DrawFn) -> tuple[bytes, str]:
    if draw(st.booleans()):
        doc = {
            "log_history": [
                draw(mutated({"loss": 1.0, "step": 1, "epoch": 0.1})) for _ in range(draw(st.integers(0, 4)))
            ]
        }
        if draw(st.booleans()):
            doc = draw(mutated(doc))
        return json.dumps(doc).encode(), "trainer_state.json"
    lines = draw(st.lists(st.one_of(st.sampled_from(LOG_LINES), st.text(max_size=60)), max_size=12))
    return "\n".join(lines).encode("utf-8", "surrogatepass"), draw(
        st.sampled_from(["log.jsonl", "train.log", "x.json"])
    )


@budget(50)
@given(
    profile=st.one_of(st.none(), documents(("suggest", "profile", "axolotl"))),
    log=st.one_of(st.none(), logs()),
    samples=st.one_of(st.none(), documents(("suggest",)), st.just((b'["a", "b"]', ".json"))),
    symptom=st.one_of(st.none(), st.sampled_from(["oom", "loss-nan", "loss-flat", "garbage", "overfitting", "x"])),
    fmt=st.sampled_from(["table", "json"]),
)
def test_diagnose_keeps_its_promise(
    profile: tuple[bytes, str] | None,
    log: tuple[bytes, str] | None,
    samples: tuple[bytes, str] | None,
    symptom: str | None,
    fmt: str,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        argv = ["diagnose"]
        if profile is not None:
            (folder / f"p{profile[1]}").write_bytes(profile[0])
            argv += ["--profile", str(folder / f"p{profile[1]}")]
        if log is not None:
            (folder / log[1]).write_bytes(log[0])
            argv += ["--log", str(folder / log[1])]
        if samples is not None:
            (folder / f"s{samples[1]}").write_bytes(samples[0])
            argv += ["--samples", str(folder / f"s{samples[1]}")]
        if symptom is not None:
            argv += ["--symptom", symptom]
        argv += ["--format", fmt]
        promise_kept(argv, *invoke(argv), folder)


@budget(40)
@given(
    config=st.one_of(st.deferred(lambda: mutated(bases()["config"])), values),
    raw=st.booleans(),
    command=st.sampled_from([["vram"], ["suggest", "-n", "800"], ["suggest", "-n", "800", "--emit", "axolotl"]]),
)
def test_model_config_json_keeps_its_promise(config: Any, raw: bool, command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "model"
        folder.mkdir()
        text = json.dumps(config) if not raw else json.dumps(config).replace("1000", "Infinity", 1)
        (folder / "config.json").write_text(text, encoding="utf-8", errors="surrogatepass")
        argv = [*command, "--model", str(folder)]
        promise_kept(argv, *invoke(argv))


DATASET_ROWS = [
    '{"instruction": "a", "output": "b"}',
    '{"messages": [{"role": "user", "content": "hi"}]}',
    '{"text": 5}',
    '{"messages": 5}',
    "[1, 2]",
    "{" * 500,
    "not json",
    '{"text": "' + "x" * 5000 + '"}',
    "\x00\x01",
]


@budget(30)
@given(
    rows=st.lists(st.one_of(st.sampled_from(DATASET_ROWS), st.text(max_size=30)), max_size=8),
    suffix=st.sampled_from([".jsonl", ".json", ".csv", ".txt"]),
    command=st.sampled_from(["suggest", "check"]),
)
def test_dataset_keeps_its_promise(rows: list[str], suffix: str, command: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"d{suffix}"
        path.write_text("\n".join(rows), encoding="utf-8", errors="surrogatepass")
        if command == "suggest":
            argv = ["suggest", "--model", "7B", "--dataset", str(path)]
        else:
            argv = ["check", str(ROOT / "examples" / "small-7b-8gb" / "axolotl.yaml"), "--dataset", str(path)]
        promise_kept(argv, *invoke(argv))


PATH_FLAGS = [
    (["render", "--target", "peft"], None),
    (["check"], None),
    (["vram", "--model"], None),
    (["suggest", "--model", "7B", "--dataset"], None),
    (["suggest", "-n", "800", "--model", "7B", "--tokenizer"], None),
    (["diagnose", "--symptom", "oom", "--profile"], None),
    (["diagnose", "--log"], None),
    (["diagnose", "--symptom", "garbage", "--samples"], None),
    (["suggest", "-n", "800", "--model", "7B", "--emit", "peft", "-o"], "write"),
    (["suggest", "-n", "800", "--model", "7B", "--gpus", "2", "--emit", "axolotl", "-o"], "write"),
    (["render", "--target", "axolotl", "PROFILE", "-o"], "write"),
    (["check", "AXOLOTL", "--fix", "-o"], "write"),
]
COMPONENTS = ["a" * 256, "a" * 255, "file", "dir", "..", ".", "", "x.json", "config.json", "\x1b[31m", "[/]", "é", "-"]


@budget(60)
@given(
    flag=st.sampled_from(PATH_FLAGS),
    parts=st.lists(st.one_of(st.sampled_from(COMPONENTS), st.text(max_size=20)), min_size=0, max_size=4),
    absolute=st.booleans(),
    slash=st.booleans(),
    force=st.booleans(),
)
def test_hostile_paths_keep_the_promise(
    flag: tuple[list[str], str | None], parts: list[str], absolute: bool, slash: bool, force: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "file").write_text("x")
        (folder / "dir").mkdir()
        (folder / "dir" / "train.py").mkdir()  # a folder where -o puts a file
        (folder / "p.json").write_text(json.dumps(bases()["suggest"]))
        (folder / "a.yaml").write_text(yaml.safe_dump(bases()["axolotl"]))
        path = "/".join(parts) + ("/" if slash else "")
        value = str(folder / path) if absolute else path
        prefix, kind = flag
        prefix = [
            str(folder / "p.json") if p == "PROFILE" else str(folder / "a.yaml") if p == "AXOLOTL" else p
            for p in prefix
        ]
        argv = [*prefix, value, *(["--force"] if force and kind == "write" else [])]
        old = os.getcwd()
        os.chdir(folder)  # relative paths land in the temp folder
        try:
            result = invoke(argv)
        finally:
            os.chdir(old)
        promise_kept(argv, *result, folder)


class FailingStdout(io.StringIO):
    """A stdout that fails after ``after`` characters: a closed pipe, a full disk, or a closed file."""

    def __init__(self, failure: str, after: int) -> None:
        super().__init__()
        self.failure, self.after = failure, after

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.after:
            if self.failure == "pipe":
                raise BrokenPipeError(errno.EPIPE, "Broken pipe")
            if self.failure == "full":
                raise OSError(errno.ENOSPC, "No space left on device")
            if self.failure == "eio":
                raise OSError(errno.EIO, "Input/output error")
            raise ValueError("I/O operation on closed file.")
        return super().write(text)


STREAM_COMMANDS = [
    ["suggest", "-n", "800", "--model", "7B"],
    ["suggest", "-n", "800", "--model", "7B", "--format", "json"],
    ["suggest", "-n", "800", "--model", "7B", "--format", "yaml"],
    ["suggest", "-n", "800", "--model", "7B", "--explain"],
    ["suggest", "-n", "800", "--model", "7B", "--emit", "axolotl"],
    ["vram", "--model", "70B"],
    ["models"],
    ["gpus", "--format", "json"],
    ["rules"],
    ["rules", "LR001"],
    ["schema", "check"],
    ["--help"],
    ["suggest", "--help"],
    [],
    ["--version"],
    ["check", str(ROOT / "examples" / "small-7b-8gb" / "axolotl.yaml")],
    ["diagnose", "--symptom", "oom"],
    ["suggest", "-n", "0", "--model", "7B"],
]


@budget(50)
@given(
    argv=st.sampled_from(STREAM_COMMANDS),
    failure=st.sampled_from(["pipe", "full", "eio", "closed"]),
    after=st.one_of(st.just(0), st.integers(0, 5000)),
)
def test_failing_stdout_keeps_the_promise(argv: list[str], failure: str, after: int) -> None:
    stdout = FailingStdout(failure, after)
    code, _, err = invoke(argv, stdout=stdout)
    promise_kept(argv, code, "", err)
    if failure in ("pipe", "closed"):  # nobody reads: quiet
        assert "cannot write standard output" not in err, err


SIGINT_COMMANDS = [*STREAM_COMMANDS[:8], ["render", "--target", "peft", "-"]]


def test_ctrl_c_at_random_moments() -> None:
    """Ctrl-C is timing, not data: a seeded random loop (FTGUIDE_FUZZ_SEED), not a shrinking search."""
    rng = random.Random(int(os.environ.get("FTGUIDE_FUZZ_SEED", "16")))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    for _ in range(max(3, EXAMPLES // 50)):
        argv, delay = rng.choice(SIGINT_COMMANDS), rng.uniform(0.0, 1.5)
        with tempfile.TemporaryDirectory() as tmp:
            output = ["-o", f"{tmp}/out/"] if "--emit" in argv else []
            process = subprocess.Popen(
                [sys.executable, "-X", "importtime", "-m", "ftguide", *argv, *output],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                text=True,
            )
            assert process.stderr is not None
            seen = []
            for line in process.stderr:  # past the interpreter's own start-up (Python's): ftguide's imports began
                seen.append(line)
                if " typer" in line:
                    break
            time.sleep(delay)
            process.send_signal(signal.SIGINT)
            _, rest = process.communicate(timeout=120)
            err = "".join(line for line in (*seen, *rest.splitlines(True)) if not line.startswith("import time:"))
            where = (argv, delay, process.returncode, err)
            assert "Traceback" not in err and "Exception ignored" not in err, where
            # -SIGINT: the signal landed while Python itself was shutting down (handlers are reset by then)
            assert process.returncode in (0, 1, 2, 130, -signal.SIGINT), where
            if process.returncode == 130:
                assert err.strip().splitlines()[-1] == "ftguide: interrupted", where
            assert not list(Path(tmp).rglob("*.tmp")), where


# Values inside every bound, at its edges: what the models accept must also survive the arithmetic after them.
EDGES: dict[str, list[str]] = {
    "--examples": ["1", "2", "7", "1000000000"],
    "--vram": ["0.001", "0.5", "4096"],
    "--gpus": ["1", "2", "3", "1024"],
    "--lora-r": ["1", "4096"],
    "--lora-alpha": ["1", "16384"],
    "--batch-size": ["1", "4096"],
    "--grad-accum": ["1", "4096"],
    "--seq-len": ["16", "1048576"],
    "--epochs": ["1e-9", "0.001", "100"],
    "--lr": ["1e-300", "1"],
    "--warmup-ratio": ["0", "0.999999"],
    "--lora-dropout": ["0", "0.999999"],
    "--sharding": ["ddp", "fsdp", "zero2", "zero3"],
    "--quant": ["4bit", "8bit", "none"],
    "--target-modules": ["qv", "all", "attention", "q_proj"],
    "--gpu": ["T4", "H200", "A100-80GB"],
}


@st.composite
def edge_flags(draw: st.DrawFn) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(sorted(EDGES)), unique=True, max_size=8))
    argv: list[str] = []
    for flag in chosen:
        argv += [flag, draw(st.sampled_from(EDGES[flag]))]
    return argv


@budget(60)
@given(
    flags=edge_flags(),
    model=st.sampled_from(["7B", "70B", "8x7B", "0.5B", "gemma-2-2b", "phi-3-mini"]),
    emit=st.sampled_from([[], ["--emit", "axolotl"], ["--emit", "peft"], ["--emit", "unsloth"], ["--format", "json"]]),
    command=st.sampled_from(["suggest", "vram"]),
)
def test_values_at_the_edges_of_their_bounds(flags: list[str], model: str, emit: list[str], command: str) -> None:
    if command == "vram":
        drop = {"--examples", "--lora-alpha", "--grad-accum", "--epochs", "--lr", "--warmup-ratio"}
        pairs = [flags[i : i + 2] for i in range(0, len(flags), 2) if flags[i] not in drop]
        argv = ["vram", "--model", model, *[x for pair in pairs for x in pair]]
    else:
        argv = ["suggest", "--model", model, *(flags if "--examples" in flags else ["-n", "800", *flags]), *emit]
    with tempfile.TemporaryDirectory() as tmp:
        if "--emit" in argv:
            argv += ["-o", f"{tmp}/out/"]
        promise_kept(argv, *invoke(argv), Path(tmp))
