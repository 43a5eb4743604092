"""Robustness: hostile files, values and paths end as one line and exit 2; nothing is written half-way.

Every case of issue 16's red-team pass is here, by class: documents (render / check / diagnose), config.json
values, devices and FIFOs, paths, writes (races, a full disk, the umask, Ctrl-C), terminal escaping, and
values that must round-trip into rendered files.  Streams and signals are in test_streams.py, the
property-based search in test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftguide.cli import main
from ftguide.errors import RenderError

FLAGS = [
    "--examples",
    "--model",
    "--vram",
    "--gpu",
    "--gpus",
    "--format",
    "--emit",
    "--lora-r",
    "--lr",
    "--epochs",
    "--batch-size",
    "--seq-len",
    "--quant",
    "--target-modules",
    "--lora-dropout",
    "--warmup-ratio",
    "--framework",
    "--scheduler",
    "--optimizer",
    "--precision",
    "--task",
    "--dataset-format",
    "--explain",
    "--gradient-checkpointing",
    "--no-gradient-checkpointing",
    "--alpha-pattern",
    "--target",
    "--sharding",
    "-o",
]
VALUES = [
    "800",
    "-5",
    "0",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "abc",
    "",
    "7B",
    "70B",
    "banana",
    "12",
    "json",
    "yaml",
    "table",
    "peft",
    "axolotl",
    "unsloth",
    "4bit",
    "qv",
    "0.5",
    "99999999999999999999",
    "A100-80GB",
    "T4",
    "zero3",
    "fsdp",
    "\x00",
    "é",
    "--",
    "-",
    "1",
    "2.5",
    "[/]",
    "\x1b[31m",
]
COMMANDS = ["suggest", "vram", "render", "check", "diagnose", "rules", "models", "gpus", "schema", "bogus"]


def invoke(argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    """``ftguide ARGV`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def one_line_error(argv: list[str], *needles: str) -> str:
    """Run ARGV and assert: exit 2, nothing on stdout, exactly one line on stderr holding every needle."""
    code, out, err = invoke(argv)
    assert code == 2, (argv, code, err)
    assert out == "", (argv, out[:200])
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ftguide: error: "), (argv, err)
    for needle in needles:
        assert needle in lines[0], (argv, needle, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def suggest_doc() -> dict[str, Any]:
    code, out, err = invoke(["suggest", "--examples", "800", "--model", "7B", "--format", "json"])
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


# ------------------------------------------------------------------------------------ random command lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(COMMANDS),
    args=st.lists(st.one_of(st.sampled_from(FLAGS), st.sampled_from(VALUES), st.text(max_size=12)), max_size=10),
)
def test_random_command_lines_never_crash(
    command: str, args: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    argv = [command, *args]
    if "-o" in argv:  # keep writes inside a temp folder
        i = argv.index("-o")
        argv[i + 1 : i + 2] = [str(tmp_path_factory.mktemp("o") / "f")]
    code, out, err = invoke(argv)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    assert code in (0, 1, 2), (argv, code, err)
    if code == 2:
        assert out == "" or out.startswith("Usage"), (argv, out)
        assert len(err.strip().splitlines()) == 1, (argv, err)
    if code == 0 and "json" in argv and "--format" in argv and command in ("suggest", "vram", "check"):
        json.loads(out)  # one complete document


def test_no_network_is_ever_opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("ftguide tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for argv in (
        ["suggest", "--examples", "800", "--model", "meta-llama/Llama-3.1-8B", "--gpu", "RTX-4090", "--format", "json"],
        ["suggest", "--examples", "800", "--model", "7B", "--emit", "axolotl"],
        ["vram", "--model", "70B", "--format", "json"],
        ["suggest", "--examples", "800", "--model", "7B", "--explain"],
    ):
        code, out, err = invoke(argv)
        assert code == 0, err
    doc = tmp_path / "p.json"
    _, out, _ = invoke(["suggest", "--examples", "800", "--model", "7B", "--format", "json"])
    doc.write_text(out)
    assert invoke(["render", "--target", "peft", str(doc)])[0] == 0
    assert invoke(["check", str(doc)])[0] == 0


# ----------------------------------------------------------------------------- documents render reads


def _deep_json(n: int) -> bytes:
    return b"[" * n + b"]" * n


def _doc_with(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> bytes:
    changed = json.loads(json.dumps(doc))
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(changed).encode()


HOSTILE_DOCUMENTS: list[tuple[str, str, Any, str]] = [
    # (id, file suffix, content: bytes or a function of the suggest document, what the one line names)
    ("decisions-5", ".json", lambda d: _doc_with(d, ("decisions",), 5), "decisions must be a list"),
    ("overrides-list", ".json", lambda d: _doc_with(d, ("inputs", "overrides"), []), "overrides"),
    ("inputs-5", ".json", lambda d: _doc_with(d, ("inputs",), 5), "inputs must be a mapping"),
    ("profile-5", ".json", lambda d: _doc_with(d, ("profile",), 5), "profile must be a mapping"),
    (
        "int-5000-digits",
        ".json",
        lambda d: _doc_with(d, ("profile", "lora_r"), 0).replace(b'"lora_r": 0', b'"lora_r": ' + b"9" * 5000),
        "5000 digits",
    ),
    ("int-4000-digits-yaml", ".yaml", b"lora_r: " + b"9" * 4000 + b"\n", "integer too large"),
    ("json-nested-100k", ".json", _deep_json(100_000), "nested too deeply"),
    ("json-objects-100k", ".json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
    ("json-nested-100", ".json", _deep_json(100), "nested too deeply"),
    ("yaml-flow-100k", ".yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("yaml-block-100k", ".yaml", b"- " * 100_000 + b"x\n", "nested too deeply"),
    (
        "yaml-indent-1k",
        ".yaml",
        "".join(" " * i + "a:\n" for i in range(1000)).encode() + b" " * 1000 + b"1\n",
        "nested too deeply",
    ),
    (
        "json-infinity",
        ".json",
        lambda d: _doc_with(d, ("profile", "learning_rate"), 0).replace(
            b'"learning_rate": 0', b'"learning_rate": Infinity'
        ),
        "Infinity",
    ),
    ("json-nan", ".json", b'{"learning_rate": NaN}', "NaN"),
    ("json-1e400", ".json", b'{"learning_rate": 1e400}', "not a finite number"),
    ("yaml-inf", ".yaml", b"learning_rate: .inf\n", "not a finite number"),
    ("yaml-huge-float", ".yaml", b"learning_rate: 1.0e+999\n", "not a finite number"),
    ("yaml-binary", ".yaml", b"base_model: !!binary aGVsbG8=\n", "binary data"),
    ("yaml-set", ".yaml", b"target_modules: !!set {q_proj: null}\n", "a set"),
    ("yaml-alias", ".yaml", b"a: &a [1]\nb: [*a, *a, *a]\n", "aliases"),
    ("yaml-python-tag", ".yaml", b"!!python/object/apply:os.system ['echo pwned']", "not valid JSON or YAML"),
    ("non-string-key", ".yaml", b"1: 2\nlora_r: 16\n", "key 1 is not a string"),
    ("null-key", ".yaml", b"null: 2\n", "key None is not a string"),
    ("wrong-type", ".json", b'{"profile": {"lora_r": "sixteen"}}', "profile.lora_r must be an integer"),
    ("binary", ".json", b"\xff\xfe\x00binary\x00", "UTF-8"),
    ("lone-surrogate", ".json", b'{"base_model": "x\\ud800"}', "lone surrogate"),
    ("lone-surrogate-key", ".json", b'{"\\udfff": 1}', "lone surrogate"),
    ("nul", ".yaml", b"lora_r: 16\x00\n", "NUL"),
    ("empty", ".yaml", b"", "empty"),
    ("blank", ".yaml", b"   \n\n", "empty"),
    ("a-list", ".json", b"[1, 2, 3]", "expected a JSON/YAML object"),
    ("yaml-over-1-mib", ".yaml", b"# " + b"x" * (1024 * 1024) + b"\n", "larger than 1 MiB"),
    ("json-over-16-mib", ".json", b'{"a": "' + b"x" * (16 * 1024 * 1024) + b'"}', "larger than 16 MiB"),
]


@pytest.mark.parametrize(
    ("suffix", "content", "needle"), [c[1:] for c in HOSTILE_DOCUMENTS], ids=[c[0] for c in HOSTILE_DOCUMENTS]
)
def test_hostile_profile_documents(
    tmp_path: Path, suggest_doc: dict[str, Any], suffix: str, content: Any, needle: str
) -> None:
    path = tmp_path / f"p{suffix}"
    path.write_bytes(content(suggest_doc) if callable(content) else content)
    started = time.monotonic()
    one_line_error(["render", "--target", "peft", str(path)], "PROFILE", needle)
    assert time.monotonic() - started < 10, "a bounded reader answers at once"


def test_hostile_profile_on_stdin() -> None:
    code, _out, err = invoke(["render", "--target", "peft", "-"], stdin="[" * 100_000 + "]" * 100_000)
    assert code == 2 and "standard input is nested too deeply" in err and len(err.splitlines()) == 1


def test_dates_stay_the_strings_they_are_written_as(tmp_path: Path, suggest_doc: dict[str, Any]) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        yaml.safe_dump({**suggest_doc["profile"], "dataset_path": "x"}).replace("path: x", "path: 2024-01-01")
    )
    code, out, err = invoke(["render", "--target", "peft", str(path)])
    assert code == 0, err
    assert "'dataset_path': '2024-01-01'" in out


# ------------------------------------------------------------------- check and diagnose: typed at the edge


WRONGLY_TYPED = [
    ("micro_batch_size: abc\nbase_model: 7B\nadapter: lora\n", "micro_batch_size must be an integer"),
    ("datasets: 5\nbase_model: 7B\nadapter: lora\n", "datasets must be a list of mappings"),
    ("datasets: [5]\nbase_model: 7B\nadapter: lora\n", "datasets must be a list of mappings"),
    ("1: x\nbase_model: 7B\nadapter: lora\n", "key 1 is not a string"),
    ("lora_target_modules: [1]\nbase_model: 7B\nadapter: lora\n", "lora_target_modules must be a list of strings"),
    ("target_modules: [1]\nbase_model: 7B\nlora_r: 8\n", "target_modules must be a list of strings"),
    ("micro_batch_size: 2.5\nbase_model: 7B\nadapter: lora\n", "micro_batch_size must be an integer"),
    ("load_in_4bit: [true]\nbase_model: 7B\nadapter: qlora\n", "load_in_4bit must be true or false"),
    ('{"profile": {"batch_size": "abc", "base_model": "7B"}}', "profile.batch_size must be an integer"),
    ('{"profile": {"lora_r": 1e999}}', "not a finite number"),
    ("base_model: 7B\nlearning_rate: [1]\n", "learning_rate must be a number or a string"),
]


@pytest.mark.parametrize(("text", "needle"), WRONGLY_TYPED)
@pytest.mark.parametrize("command", ["check", "diagnose"])
def test_check_and_diagnose_refuse_wrongly_typed_fields(tmp_path: Path, command: str, text: str, needle: str) -> None:
    path = tmp_path / ("c.json" if text.startswith("{") else "c.yaml")
    path.write_text(text)
    argv = ["check", str(path)] if command == "check" else ["diagnose", "--profile", str(path), "--symptom", "oom"]
    one_line_error(argv, needle)


# ------------------------------------------------------------------------------------- config.json values


GOOD_CONFIG = {
    "hidden_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "intermediate_size": 128,
    "vocab_size": 1000,
    "model_type": "llama",
    "architectures": ["LlamaForCausalLM"],
}
BAD_CONFIGS: list[tuple[str, dict[str, Any] | bytes, str]] = [
    (
        "infinity",
        b'{"hidden_size": Infinity, "num_hidden_layers": 2, "num_attention_heads": 2, "vocab_size": 10}',
        "Infinity",
    ),
    (
        "1e400",
        b'{"hidden_size": 1e400, "num_hidden_layers": 2, "num_attention_heads": 2, "vocab_size": 10}',
        "hidden_size",
    ),
    ("negative", {"hidden_size": -64}, "hidden_size"),
    ("zero-layers", {"num_hidden_layers": 0}, "num_hidden_layers"),
    ("string", {"hidden_size": "4096"}, "hidden_size"),
    ("bool", {"vocab_size": True}, "vocab_size"),
    ("float", {"hidden_size": 64.5}, "hidden_size"),
    ("huge", {"hidden_size": 10**18}, "hidden_size"),
    ("digits", b'{"hidden_size": ' + b"9" * 5000 + b"}", "digits"),
    ("experts", {"num_local_experts": "x"}, "num_local_experts"),
    ("architectures", {"architectures": 5}, "architectures"),
    ("softcap", {"final_logit_softcapping": "x"}, "final_logit_softcapping"),
    ("more-heads-than-hidden", {"hidden_size": 4, "num_attention_heads": 8, "head_dim": None}, "attention heads"),
    ("no-vocab", {"vocab_size": None}, "vocab_size"),
    ("missing", {"hidden_size": None}, "lacks hidden_size"),
    ("list", b"[1, 2]", "JSON object"),
    ("nested", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("binary", b"\xff\xfe\x00", "not a readable JSON config"),
]


@pytest.mark.parametrize(("content", "needle"), [c[1:] for c in BAD_CONFIGS], ids=[c[0] for c in BAD_CONFIGS])
@pytest.mark.parametrize("command", ["vram", "suggest"])
def test_config_json_values_are_checked_before_arithmetic(
    tmp_path: Path, command: str, content: dict[str, Any] | bytes, needle: str
) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    if isinstance(content, bytes):
        (folder / "config.json").write_bytes(content)
    else:
        config = {**GOOD_CONFIG, **content}
        (folder / "config.json").write_text(json.dumps({k: v for k, v in config.items() if v is not None}))
    argv = ["vram", "--model", str(folder)] if command == "vram" else ["suggest", "-n", "800", "--model", str(folder)]
    one_line_error(argv, "--model", needle)


def test_a_good_config_json_still_reads(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"text_config": GOOD_CONFIG, "tie_word_embeddings": False}))
    code, out, err = invoke(["vram", "--model", str(folder), "--format", "json"])
    assert code == 0, err
    assert json.loads(out)["estimated_gib"] > 0


# --------------------------------------------------------------------------------- devices and FIFOs


def _driver(cases: list[list[str]], cwd: Path) -> list[dict[str, Any]]:
    """Run each ARGV through main() in one child process, each under a 20 s alarm (a hang fails, not blocks)."""
    script = textwrap.dedent(
        """
        import contextlib, io, json, signal, sys
        from ftguide.cli import main
        def alarm(signum, frame):
            raise TimeoutError("hung")
        signal.signal(signal.SIGALRM, alarm)
        results = []
        for argv in json.loads(sys.argv[1]):
            out, err = io.StringIO(), io.StringIO()
            code = None
            signal.alarm(20)
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    main(argv)
            except SystemExit as exc:
                code = exc.code
            except TimeoutError:
                code = "hung"
            signal.alarm(0)
            results.append({"argv": argv, "code": code, "err": err.getvalue(), "out": len(out.getvalue())})
        print(json.dumps(results))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(cases)], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def test_devices_and_fifos_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    model = tmp_path / "model"
    model.mkdir()
    os.mkfifo(model / "config.json")
    (tmp_path / "s.py").symlink_to("/dev/zero")
    (tmp_path / "z.jsonl").symlink_to("/dev/zero")
    (tmp_path / "z.yaml").symlink_to("/dev/zero")
    cases = [
        (["suggest", "-n", "800", "--model", "/dev/zero"], "--model"),
        (["vram", "--model", str(model)], "--model"),
        (["render", "--target", "peft", "/dev/zero"], "PROFILE"),
        (["render", "--target", "peft", str(fifo)], "PROFILE"),
        (["check", str(tmp_path / "s.py")], "FILE"),
        (["check", str(tmp_path / "z.yaml")], "FILE"),
        (["check", str(fifo)], "FILE"),
        (["check", "/dev/zero"], "FILE"),
        (["diagnose", "--profile", str(fifo), "--symptom", "oom"], "--profile"),
        (["diagnose", "--profile", str(tmp_path / "s.py"), "--symptom", "oom"], "--profile"),
        (["diagnose", "--samples", "/dev/zero", "--symptom", "garbage"], "--samples"),
        (["suggest", "--model", "7B", "--dataset", str(fifo)], "--dataset"),
        (["suggest", "--model", "7B", "--dataset", str(tmp_path / "z.jsonl")], "--dataset"),
        (["check", str(ROOT / "examples" / "small-7b-8gb" / "axolotl.yaml"), "--dataset", "/dev/zero"], "--dataset"),
    ]
    for result, (_argv, flag) in zip(_driver([a for a, _ in cases], tmp_path), cases, strict=True):
        lines = result["err"].strip().splitlines()
        assert result["code"] == 2, result
        assert len(lines) == 1 and flag in lines[0] and "not a regular file" in lines[0], result


# --------------------------------------------------------------------------------------------- paths


def _path_cases(bad: str) -> list[tuple[list[str], str]]:
    return [
        (["render", "--target", "peft", bad], "PROFILE"),
        (["check", bad], "FILE"),
        (["vram", "--model", bad + "/config.json"], "--model"),
        (["suggest", "--model", "7B", "--dataset", bad + ".jsonl"], "--dataset"),
        (["diagnose", "--profile", bad, "--symptom", "oom"], "--profile"),
        (["diagnose", "--samples", bad, "--symptom", "garbage"], "--samples"),
        (["suggest", "-n", "800", "--model", "7B", "--emit", "peft", "-o", bad + ".py"], "-o"),
        (["suggest", "-n", "800", "--model", "7B", "--emit", "peft", "-o", bad + "/"], "-o"),
    ]


@pytest.mark.parametrize("kind", ["long-component", "under-a-file"])
def test_bad_paths_are_one_line_naming_the_flag(tmp_path: Path, kind: str, suggest_doc: dict[str, Any]) -> None:
    (tmp_path / "file").write_text("x")
    bad = str(tmp_path / ("a" * 300) / "x") if kind == "long-component" else str(tmp_path / "file" / "sub")
    for argv, flag in _path_cases(bad):
        line = one_line_error(argv, flag)
        reason = "longer than 255 characters" if kind == "long-component" else "is a file, not a folder"
        if argv[0] != "diagnose" or flag != "--samples" or kind == "long-component":
            assert reason in line or "does not exist" in line or "no such file" in line, line
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(suggest_doc))
    one_line_error(["render", "--target", "peft", str(doc), "-o", bad + ".py"], "-o", bad[:40])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "p.json"]


def test_a_directory_as_output_gets_one_answer_everywhere(tmp_path: Path, suggest_doc: dict[str, Any]) -> None:
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(suggest_doc))
    config = tmp_path / "axolotl.yaml"
    config.write_text((ROOT / "examples" / "small-7b-8gb" / "axolotl.yaml").read_text())
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        (["render", "--target", "peft", str(doc), "-o", str(out)], out / "train.py"),
        (["suggest", "-n", "800", "--model", "7B", "--emit", "axolotl", "-o", str(out)], out / "axolotl.yaml"),
        (["check", str(config), "--fix", "-o", str(out), "--fail-on", "never"], out / "axolotl.yaml"),
    ]
    for i, (argv, written) in enumerate(runs):
        code, _, err = invoke(argv)
        if i == 2:  # the same name as suggest's file: the folder answer, then the refusal to overwrite
            assert code == 2 and f"{written} exists; pass --force" in err, err
            code, _, err = invoke([*argv, "--force"])
        assert code == 0 and written.is_file(), (argv, err)
        again = one_line_error(argv, "-o", "exists; pass --force")
        assert str(written) in again
    (out / "train.py").unlink()
    (out / "train.py").mkdir()
    one_line_error(["render", "--target", "peft", str(doc), "-o", str(out), "--force"], "-o", "is a directory")


# -------------------------------------------------------------------------------------------- writes


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("suggest", "--examples", "800", "--model", "7B", "--emit", "peft", "-o", str(blocker / "t.py"))
    assert done.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


RACER = textwrap.dedent(
    """
    import contextlib, io, sys
    from ftguide.cli import main
    profile, folder = sys.argv[1], sys.argv[2]
    main_argv = ["render", "--target", "peft", profile, "-o"]
    for line in sys.stdin:  # one line per trial: all racers start it at once
        target = f"{folder}/t{line.strip()}.py"
        err = io.StringIO()
        code = 0
        with contextlib.redirect_stderr(err):
            try:
                main([*main_argv, target])
            except SystemExit as exc:
                code = exc.code
        print(code, err.getvalue().strip().replace("\\n", " | "), flush=True)
    """
)


def test_parallel_renders_without_force_have_exactly_one_winner(tmp_path: Path, suggest_doc: dict[str, Any]) -> None:
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(suggest_doc))
    out = tmp_path / "out"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(doc), str(out)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    expected = invoke(["render", "--target", "peft", str(doc)])[1]
    try:
        for trial in range(10):
            for racer in racers:
                assert racer.stdin is not None
                racer.stdin.write(f"{trial}\n")
                racer.stdin.flush()
            results = []
            for racer in racers:
                assert racer.stdout is not None
                code, _, message = racer.stdout.readline().strip().partition(" ")
                results.append((code, message))
            codes = sorted(int(code) for code, _ in results)
            assert codes == [0, 2, 2, 2], (trial, results)
            assert all("exists; pass --force" in msg for code, msg in results if code == "2"), results
            assert (out / f"t{trial}.py").read_text() == expected
    finally:
        for racer in racers:
            if racer.stdin is not None:
                racer.stdin.close()
            racer.wait(timeout=60)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"t{i}.py" for i in range(10)), "no staged file is left"


def _tiny_tmpfs(folder: Path) -> bool:
    folder.mkdir()
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_full_disk_removes_the_staged_file_and_names_the_target(tmp_path: Path, suggest_doc: dict[str, Any]) -> None:
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(suggest_doc))
    tiny = tmp_path / "tiny"
    if not _tiny_tmpfs(tiny):
        pytest.skip("cannot mount a tmpfs here; test_full_disk_in_process covers the path")
    try:
        line = one_line_error(["render", "--target", "peft", str(doc), "-o", str(tiny / "t.py")], "-o")
        assert f"cannot write {tiny / 't.py'}: no space left" in line
        assert list(tiny.iterdir()) == []
    finally:
        subprocess.run(["umount", str(tiny)], check=True)


@pytest.mark.parametrize("failing", ["write", "fsync", "link"])
def test_full_disk_in_process(
    tmp_path: Path, suggest_doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(suggest_doc))
    out = tmp_path / "out"
    out.mkdir()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, text: str) -> None:
                full()

        def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, mode, *args, **kwargs)
            return Full(handle) if "w" in mode else handle

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(os, failing, full)
    code, _, err = invoke(["render", "--target", "peft", str(doc), "-o", str(out / "t.py")])
    monkeypatch.undo()
    assert code == 2 and f"-o: cannot write {out / 't.py'}: no space left on the device" in err, err
    assert list(out.iterdir()) == []


def test_text_no_file_can_hold_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    from ftguide.errors import InputError
    from ftguide.files import write_files

    with pytest.raises(InputError, match=r"b\.txt: the content holds a lone surrogate"):
        write_files({tmp_path / "a.txt": "fine", tmp_path / "b.txt": "lone \ud800"}, force=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path: Path, suggest_doc: dict[str, Any], umask: int, mode: int) -> None:
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(suggest_doc))
    old = os.umask(umask)
    try:
        code, _, err = invoke(["render", "--target", "peft", str(doc), "-o", str(tmp_path / "t.py")])
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "t.py").stat().st_mode) == mode


def test_ctrl_c_mid_write_leaves_every_file_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def interrupted_fsync(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the first staged file is being written
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    out = tmp_path / "out"
    argv = ["suggest", "-n", "800", "--model", "7B", "--gpus", "2", "--emit", "peft", "-o", f"{out}/"]
    code, _, err = invoke(argv)
    monkeypatch.undo()
    assert code == 130 and err.strip() == "ftguide: interrupted", err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["accelerate_config.yaml", "train.py"], names  # complete, and no .tmp file


# -------------------------------------------------------------------------------- what a terminal sees


HOSTILE_TEXT = "[b]x[/]:smile:\x1b[31m\x07\u202e"
SHOWN = ("[b]x[/]", ":smile:", "\\x1b[31m", "\\x07", "\\u202e")  # what the terminal gets instead


def _shows_escaped(out: str) -> None:
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, out
    for part in SHOWN:
        assert part in out, (part, out)


def test_values_shown_on_a_terminal_are_escaped(tmp_path: Path) -> None:
    model = tmp_path / HOSTILE_TEXT.replace("/", "|")
    model.mkdir()
    (model / "config.json").write_text(json.dumps(GOOD_CONFIG))
    argv = ["suggest", "-n", "800", "--model", "7B", "--dataset-path", HOSTILE_TEXT, "--output-dir", "[/]"]
    for extra in ([], ["--explain"]):
        code, out, err = invoke([*argv, *extra])
        assert code == 0, err
        _shows_escaped(out)
    code, out, err = invoke(["vram", "--model", str(model)])
    assert code == 0, err
    assert "\x1b" not in out and "[b]x[|]:smile:\\x1b[31m" in out, out
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"base_model": "7B", "adapter": "lora", HOSTILE_TEXT: 1}))
    code, out, err = invoke(["check", str(config), "--fail-on", "never"])
    assert code == 0, err
    _shows_escaped(out)
    one = one_line_error(["render", "--target", "peft", str(tmp_path / HOSTILE_TEXT)], "PROFILE")
    assert "\x1b" not in one and "\\x1b" in one


# --------------------------------------------------------------------------- values rendered into files


@pytest.mark.parametrize("target", ["axolotl", "peft", "unsloth"])
def test_values_ending_in_dots_round_trip(tmp_path: Path, suggest_doc: dict[str, Any], target: str) -> None:
    profile = {**suggest_doc["profile"], "chat_template": "chatml...", "dataset_path": "data/train..."}
    if target == "unsloth":
        profile = {**profile, "num_gpus": 1, "distributed": "none"}
    doc = tmp_path / "p.json"
    doc.write_text(json.dumps(profile))
    code, out, err = invoke(["render", "--target", target, str(doc)])
    assert code == 0, err
    if target == "axolotl":
        rendered = yaml.safe_load(out)
        assert rendered["chat_template"] == "chatml..."
        assert rendered["datasets"][0]["path"] == "data/train..."
    else:
        assert "'chat_template': 'chatml...'" in out and "'dataset_path': 'data/train...'" in out


def _rendered(profile_doc: dict[str, Any], target: str, **changes: Any) -> tuple[str, Any]:
    from ftguide.models import Profile
    from ftguide.render import render

    values = {**profile_doc["profile"], **changes}
    values["effective_batch_size"] = values["batch_size"] * values["gradient_accumulation_steps"] * values["num_gpus"]
    profile = Profile.model_validate(values)
    return render(profile, target), profile  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "old", "new"),
    [
        ({}, "load_in_4bit: true", "load_in_4bit: false"),
        ({}, "adapter: qlora", "adapter: lora"),
        ({"quantization": "8bit"}, "load_in_8bit: true", "load_in_8bit: false"),
        ({}, "bf16: true", "bf16: false"),
        ({}, "fp16: false", "fp16: true"),
        ({}, "path: data/train.jsonl", "path: data/other.jsonl"),
        (
            {"chat_template": "chatml...", "dataset_format": "messages"},
            "chat_template: chatml...",
            "chat_template: chatml",
        ),
        ({"dataset_format": "messages"}, "field_messages: messages", "field_messages: conversations"),
        ({"num_gpus": 2, "distributed": "zero3"}, "deepspeed: deepspeed_zero3.json", "deepspeed: deepspeed_zero2.json"),
        ({"num_gpus": 2, "distributed": "fsdp"}, "fsdp_version: 2", "fsdp_version: 1"),
    ],
)
def test_axolotl_parse_back_compares_every_key(
    suggest_doc: dict[str, Any], changes: dict[str, Any], old: str, new: str
) -> None:
    from ftguide.render import parse_back

    text, profile = _rendered(suggest_doc, "axolotl", **changes)
    assert old in text, text
    with pytest.raises(RenderError):
        parse_back(text.replace(old, new, 1), "axolotl", profile)


@pytest.mark.parametrize("target", ["peft", "unsloth"])
def test_script_parse_back_compares_the_values_outside_profile(suggest_doc: dict[str, Any], target: str) -> None:
    from ftguide.render import parse_back, scheduler_name

    text, profile = _rendered(suggest_doc, target)
    old = f"lr_scheduler_type={scheduler_name(profile)!r}"
    assert old in text
    with pytest.raises(RenderError, match="lr_scheduler_type"):
        parse_back(text.replace(old, "lr_scheduler_type='constant'"), target, profile)


# ------------------------------------------------------------------------------------- clear answers


def test_sharding_on_one_gpu_names_the_flag() -> None:
    for argv in (
        ["suggest", "-n", "800", "--model", "7B", "--sharding", "zero3"],
        ["vram", "--model", "7B", "--sharding", "zero3"],
    ):
        one_line_error(argv, "--sharding zero3", "--gpus 2 or more")


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    for argv in (["render", "--target", "peft", str(tmp_path)], ["check", str(tmp_path)]):
        done = run_cli(*argv)
        assert done.returncode == 2 and "directory" in done.stderr, done.stderr


def test_huge_and_empty_values() -> None:
    for argv in (
        ["suggest", "--examples", "99999999999999999999", "--model", "7B"],
        ["suggest", "--examples", "800", "--model", "7B", "--vram", "1e309"],
        ["suggest", "--examples", "800", "--model", "7B", "--lora-r", ""],
        ["suggest", "--examples", "800", "--model", "7B", "--gpus", "0"],
        ["vram", "--model", "7B", "--vram", "inf"],
        ["suggest", "--examples", "800", "--model", "7B", "--emit", "peft", "-o", ""],
    ):
        code, _out, err = invoke(argv)
        assert code == 2 and len(err.strip().splitlines()) == 1, (argv, err)


def test_vram_on_several_gpus_answers_for_every_model() -> None:
    from ftguide.catalog import ARCHITECTURES

    for arch in ARCHITECTURES:
        code, out, err = invoke(["vram", "--model", arch.name, "--gpus", "2", "--format", "json"])
        assert code == 0, (arch.name, err)
        assert json.loads(out)["estimated_gib"] > 0


def test_quiet_and_no_color(tmp_path: Path) -> None:
    done = run_cli(
        "--quiet",
        "suggest",
        "--examples",
        "800",
        "--model",
        "7B",
        "--emit",
        "peft",
        "-o",
        str(tmp_path / "t.py"),
        "--format",
        "json",
    )
    assert done.returncode == 0 and done.stderr == ""
    table = run_cli("suggest", "--examples", "800", "--model", "7B")
    assert "\x1b[" not in table.stdout  # not a terminal (and NO_COLOR set): no escape codes


def test_an_unforeseen_failure_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    import ftguide.engine

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ftguide.engine, "estimate_vram", broken)
    code, _out, err = invoke(["vram", "--model", "7B"])
    assert code == 70 and "Traceback" not in err
    assert err.startswith("ftguide: internal error: ZeroDivisionError: division by zero") and len(err.splitlines()) == 1
