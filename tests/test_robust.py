"""Robustness: random command lines, hostile files, no network, nothing written half-way."""

from __future__ import annotations

import contextlib
import io
import json
import socket
from pathlib import Path

import pytest
import yaml
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftguide.cli import main

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
    "\x00",
    "é",
    "--",
    "-",
    "1",
    "2.5",
]
COMMANDS = ["suggest", "vram", "render", "check", "rules", "models", "gpus", "schema", "bogus"]


def invoke(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue(), err.getvalue()


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
    assert "Traceback" not in err, err
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


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"\xff\xfe\x00binary\x00", "UTF-8"),
        (b"a: &a [1]\nb: [*a, *a, *a]\n", "aliases"),
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b'{"profile": {"lora_r": "sixteen"}}', "PROFILE"),
        (b"!!python/object/apply:os.system ['echo pwned']", "PROFILE"),
    ],
)
def test_hostile_profile_files(tmp_path: Path, content: bytes, what: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    done = run_cli("render", "--target", "peft", str(path))
    assert done.returncode == 2 and what in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


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
    ):
        done = run_cli(*argv)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (argv, done.stderr)


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("suggest", "--examples", "800", "--model", "7B", "--emit", "peft", "-o", str(blocker / "t.py"))
    assert done.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


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


def test_yaml_reader_is_safe() -> None:
    assert yaml.safe_load("a: 1") == {"a": 1}
