"""Streams and signals, through real processes: what ftguide does when stdout or stderr fail, and on Ctrl-C.

* a full stdout (``> /dev/full``): one line naming standard output, exit 2;
* a stdout nobody reads (a closed pipe, ``>&-``): exit 1 and nothing on stderr;
* a non-UTF-8 locale: tables degrade to escapes, documents and rendered files stay exact UTF-8;
* Ctrl-C while Python imports ftguide, mid-run and at random moments: exit 130, one line, no traceback.

Never a traceback and never Python's "Exception ignored" shutdown message.
"""

from __future__ import annotations

import ast
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

PY_ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", COLUMNS="120")
COMMANDS = {
    "table": ["suggest", "-n", "800", "--model", "7B"],
    "json": ["suggest", "-n", "800", "--model", "7B", "--format", "json"],
    "render": ["render", "--target", "peft", "-"],
    "list": ["models"],
    "help": ["--help"],
}


@pytest.fixture(scope="module")
def profile_json() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ftguide", *COMMANDS["json"]], capture_output=True, text=True, env=PY_ENV, check=True
    )
    return done.stdout


def _run(argv: list[str], stdin: str = "", **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "ftguide", *argv], input=stdin.encode(), capture_output=False, env=PY_ENV, **kwargs
    )


def _clean(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "Exception ignored" not in text and "internal error" not in text, text
    return text


@pytest.mark.parametrize("name", list(COMMANDS))
def test_full_stdout_is_one_line_and_exit_2(name: str, profile_json: str) -> None:
    with open("/dev/full", "wb") as full:
        done = _run(COMMANDS[name], stdin=profile_json, stdout=full, stderr=subprocess.PIPE, timeout=120)
    err = _clean(done.stderr)
    assert done.returncode == 2, err
    assert err == "ftguide: error: cannot write standard output: No space left on device\n"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_closed_pipe_exits_1_quietly(name: str, profile_json: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before ftguide writes a byte (as `| head` after its lines)
    try:
        done = _run(COMMANDS[name], stdin=profile_json, stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)
    assert _clean(done.stderr) == ""
    assert done.returncode == 1


def test_a_pipe_closed_mid_output_exits_1_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ftguide", "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=PY_ENV
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)  # `| head -c 10`
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=120) in (0, 1)  # 0 when the whole schema fitted in the pipe's buffer
    assert _clean(err) == ""


@pytest.mark.parametrize("name", ["table", "json", "help"])
def test_closed_stdout_exits_1_quietly(name: str) -> None:
    command = " ".join([sys.executable, "-m", "ftguide", *COMMANDS[name]])
    done = subprocess.run(f"exec {command} >&-", shell=True, capture_output=False, stderr=subprocess.PIPE, env=PY_ENV)
    assert _clean(done.stderr) == ""
    assert done.returncode == 1


def test_closed_stdout_does_not_stop_a_command_that_writes_files(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "ftguide", "--quiet", "suggest", "-n", "800", "--model", "7B", "--emit", "peft"]
    command = " ".join([*argv, "-o", str(tmp_path / "t.py")])
    done = subprocess.run(f"exec {command} >&-", shell=True, stderr=subprocess.PIPE, env=PY_ENV)
    assert done.returncode == 0, _clean(done.stderr)
    assert (tmp_path / "t.py").is_file()


def test_closed_or_full_stderr_changes_nothing_but_the_message(profile_json: str) -> None:
    command = " ".join([sys.executable, "-m", "ftguide", "render", "--target", "peft", "/nonexistent.json"])
    done = subprocess.run(f"exec {command} 2>&-", shell=True, stdout=subprocess.PIPE, env=PY_ENV)
    assert done.returncode == 2 and done.stdout == b""
    with open("/dev/full", "wb") as full:
        done = _run(COMMANDS["json"], stdout=subprocess.PIPE, stderr=full, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_non_utf8_locale_keeps_documents_exact(encoding: str, tmp_path: Path) -> None:
    path = "données/über.jsonl"
    env = dict(PY_ENV, PYTHONIOENCODING=encoding)
    base = [sys.executable, "-m", "ftguide", "suggest", "-n", "800", "--model", "7B", "--dataset-path", path]
    table = subprocess.run(base, capture_output=True, env=env, timeout=120)
    assert table.returncode == 0, _clean(table.stderr)
    table.stdout.decode(encoding)  # the table is in the locale's encoding, with escapes where it cannot spell
    doc = subprocess.run([*base, "--format", "json"], capture_output=True, env=env, timeout=120)
    assert doc.returncode == 0, _clean(doc.stderr)
    assert json.loads(doc.stdout.decode("utf-8"))["profile"]["dataset_path"] == path
    rendered = subprocess.run([*base, "--emit", "peft"], capture_output=True, env=env, timeout=120)
    assert rendered.returncode == 0, _clean(rendered.stderr)
    tree = ast.parse(rendered.stdout.decode("utf-8"))
    assert f"'dataset_path': {path!r}" in ast.unparse(tree)
    c_locale = subprocess.run(base, capture_output=True, env=dict(PY_ENV, LANG="C", LC_ALL="C"), timeout=120)
    assert c_locale.returncode == 0, _clean(c_locale.stderr)


# ----------------------------------------------------------------------------------------------- Ctrl-C


def _interrupt(argv: list[str], *, after_line: str | None, delay: float) -> tuple[int, str]:
    """Start ``ftguide ARGV``, wait for ``after_line`` in its import log (``-X importtime``), then SIGINT."""
    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "ftguide", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=PY_ENV,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    if after_line is not None:
        for line in process.stderr:
            seen.append(line)
            if after_line in line:
                break
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    lines = [line for line in (*seen, *err.splitlines(keepends=True)) if not line.startswith("import time:")]
    return process.returncode, "".join(lines)


@pytest.mark.parametrize("module", ["typer", "pydantic", "ftguide.models", "rich"])
def test_ctrl_c_while_ftguide_imports_is_exit_130(module: str) -> None:
    code, err = _interrupt(COMMANDS["table"], after_line=f" {module}", delay=0)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    if code == 0:  # the whole run was over before the signal landed
        return
    assert code == 130, (code, err)
    assert err.strip() == "ftguide: interrupted", err


def test_ctrl_c_mid_run_is_exit_130() -> None:
    code, err = _interrupt(["render", "--target", "peft", "-"], after_line=" ftguide.engine", delay=1.0)
    assert code == 130 and err.strip() == "ftguide: interrupted", (code, err)


def test_ctrl_c_at_random_moments() -> None:
    rng = random.Random(16)
    for _ in range(6):
        code, err = _interrupt(COMMANDS["table"], after_line=" typer", delay=rng.uniform(0, 1.5))
        # -SIGINT: the signal landed in the interpreter's own shutdown, after ftguide's work and its handler were
        # done; the default action ends the process silently, which keeps the promise (no traceback, no output).
        assert code in (0, 130, -2), (code, err)
        assert "Traceback" not in err and "Exception ignored" not in err, err
        if code == 130:
            assert err.strip().splitlines()[-1] == "ftguide: interrupted", err
