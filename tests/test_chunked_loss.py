"""Axolotl's ``chunked_cross_entropy``: the profile field, the fitter's first lever on the Axolotl path, the flag,
the rendered key and what ``check`` and ``diagnose`` read from an Axolotl YAML that sets it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run_cli

from ftguide import fit, memory
from ftguide.catalog import resolve_model
from ftguide.check import check
from ftguide.diagnose import prescribe
from ftguide.engine import suggest
from ftguide.errors import FitError, InputError, RenderError
from ftguide.models import Overrides, Profile, Request
from ftguide.render import parse_back, render
from ftguide.targets import get_target

LLAMA_1B = resolve_model("llama-3.2-1b")  # 128k vocabulary: the logits dominate a large micro-batch
#: Llama-3.2-1B in 16-bit at micro-batch 16 x 1024 without checkpointing: the H200 measurement of the issue.
WIDE = suggest(
    Request(
        examples=3000,
        model="llama-3.2-1b",
        framework="axolotl",
        overrides=Overrides(batch_size=16, max_seq_length=1024, quantization="none", gradient_checkpointing=False),
    )
).profile


ON = {"chunked_cross_entropy": True}


def chunked(profile: Profile, on: bool = True) -> Profile:
    return profile.model_copy(update={"chunked_cross_entropy": on})


def test_the_profile_field_defaults_off_and_only_axolotl_has_the_lever() -> None:
    assert Profile.model_fields["chunked_cross_entropy"].default is False
    assert WIDE.chunked_cross_entropy is False
    assert get_target("axolotl").levers[0] == "chunked_loss"  # before skip_upcast: it costs nothing
    assert fit.levers_for("axolotl")[0] is fit.LEVER_NAMES["chunked_loss"]
    for other in ("peft", "unsloth"):
        assert "chunked_loss" not in get_target(other).levers
    assert "chunked_cross_entropy" in fit.LEVER_FIELDS


def test_chunking_lowers_the_axolotl_estimate_only() -> None:
    whole = memory.estimate(WIDE, LLAMA_1B, "axolotl")
    parts = memory.estimate(chunked(WIDE), LLAMA_1B, "axolotl")
    saved = (whole["logits_and_loss"] - parts["logits_and_loss"]) / memory.GIB
    elements = WIDE.batch_size * WIDE.max_seq_length * LLAMA_1B.vocab_size
    assert 2.0 * elements / memory.GIB < saved < 8.0 * elements / memory.GIB  # measured: about 5-6 bytes each
    for path in ("peft", "unsloth"):
        assert memory.total_gib(chunked(WIDE), LLAMA_1B, path) == memory.total_gib(WIDE, LLAMA_1B, path)


def _tight_budget() -> float:
    """A budget the chunked profile fits and the unchunked one does not (the lever alone is enough)."""
    for tenths in range(10, 1400):
        budget = tenths / 10
        if memory.total_gib(chunked(WIDE), LLAMA_1B, "axolotl") + memory.safety_margin(budget) <= budget:
            assert memory.total_gib(WIDE, LLAMA_1B, "axolotl") + memory.safety_margin(budget) > budget
            return budget
    raise AssertionError("no budget fits the chunked profile")


def test_the_fitter_pulls_the_chunked_loss_first_on_the_axolotl_path() -> None:
    budget = _tight_budget()
    result = fit.fit(WIDE, LLAMA_1B, "axolotl", budget)
    changed = [d.field for d in result.decisions]
    assert changed == ["chunked_cross_entropy"]  # nothing costlier was needed
    (decision,) = result.decisions
    assert decision.value is True and decision.rule == "MM002"
    assert decision.reason.startswith("chunked cross-entropy: the fp32 loss taken one chunk of the logits")
    assert "(was False)" in decision.reason
    # The same budget on the PEFT path never chunks: that path has no such lever.
    assert fit.fit(WIDE, LLAMA_1B, "peft", budget).profile.chunked_cross_entropy is False
    assert fit.minimal_profile(WIDE, LLAMA_1B, framework="axolotl").chunked_cross_entropy is True
    assert fit.minimal_profile(WIDE, LLAMA_1B, framework="peft").chunked_cross_entropy is False


def test_a_fixed_value_is_never_touched() -> None:
    budget = _tight_budget()
    kept = fit.fit(WIDE, LLAMA_1B, "axolotl", budget, frozenset({"chunked_cross_entropy"}))
    assert kept.profile.chunked_cross_entropy is False
    assert "chunked_cross_entropy" not in {d.field for d in kept.decisions}
    assert kept.decisions  # another lever did the work


def test_suggest_emit_axolotl_at_a_tight_budget_renders_the_key_with_its_reason() -> None:
    done = run_cli("suggest", "--examples", "3000", "--model", "llama-3.2-1b", "--vram", "8", "--emit", "axolotl")
    assert done.returncode == 0, done.stderr
    doc = yaml.safe_load(done.stdout)
    assert doc["chunked_cross_entropy"] is True
    lines = done.stdout.splitlines()
    at = lines.index("chunked_cross_entropy: true")
    assert lines[at - 1].startswith("# MM002: chunked cross-entropy: the fp32 loss taken one chunk")
    fixed = run_cli(
        "suggest", "--examples", "3000", "--model", "llama-3.2-1b", "--vram", "8", "--emit", "axolotl",
        "--no-chunked-cross-entropy",
    )  # fmt: skip
    assert fixed.returncode == 0, fixed.stderr
    assert "chunked_cross_entropy" not in yaml.safe_load(fixed.stdout)


@pytest.mark.parametrize(
    ("flags", "path"),
    [(["--emit", "peft"], "peft"), (["--emit", "unsloth"], "unsloth"), (["--framework", "peft"], "peft"), ([], "peft")],
    ids=["emit-peft", "emit-unsloth", "framework-peft", "default-path"],
)
def test_the_flag_is_bad_input_off_the_axolotl_path(flags: list[str], path: str) -> None:
    done = run_cli("suggest", "--examples", "300", "--model", "llama-3.2-1b", "--chunked-cross-entropy", *flags)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("ftguide: error: --chunked-cross-entropy: Axolotl only (--emit axolotl); on the ")
    assert f"the {path} path" in line and "never holds the full fp32 logits" in line


def test_the_engine_refuses_it_for_every_caller() -> None:
    with pytest.raises(InputError, match=r"^--chunked-cross-entropy: Axolotl only .* Unsloth's fused loss"):
        suggest(Request(examples=300, model="llama-3.2-1b", framework="unsloth", overrides=Overrides(**ON)))
    # Turning it off is harmless anywhere, and on the Axolotl path the user's value stands.
    off = suggest(Request(examples=300, model="llama-3.2-1b", overrides=Overrides(chunked_cross_entropy=False)))
    assert off.profile.chunked_cross_entropy is False
    on = suggest(Request(examples=300, model="llama-3.2-1b", framework="axolotl", overrides=Overrides(**ON)))
    decision = next(d for d in on.decisions if d.field == "chunked_cross_entropy")
    assert on.profile.chunked_cross_entropy is True and decision.rule == "USER"


def test_the_key_is_rendered_only_when_on_and_parsed_back() -> None:
    assert "chunked_cross_entropy" not in yaml.safe_load(render(WIDE, "axolotl"))
    text = render(chunked(WIDE), "axolotl")
    assert yaml.safe_load(text)["chunked_cross_entropy"] is True
    dropped = "\n".join(line for line in text.splitlines() if line != "chunked_cross_entropy: true")
    with pytest.raises(RenderError, match=r"^axolotl chunked_cross_entropy: rendered False, profile says True$"):
        parse_back(dropped, "axolotl", chunked(WIDE))
    with pytest.raises(RenderError, match=r"^axolotl chunked_cross_entropy: rendered True, profile says False$"):
        parse_back(text, "axolotl", WIDE)


@pytest.mark.parametrize("target", ["peft", "unsloth"])
def test_the_scripts_carry_it_only_as_data(target: str) -> None:
    text = render(chunked(WIDE), target)
    compile(text, f"train_{target}.py", "exec")
    assert text.count("chunked_cross_entropy") == 1  # the PROFILE entry, which nothing reads
    assert "'chunked_cross_entropy': True," in text


def test_check_reads_the_key_from_an_axolotl_yaml(tmp_path: Path) -> None:
    whole, parts = tmp_path / "whole.yaml", tmp_path / "chunked.yaml"
    whole.write_text(render(WIDE, "axolotl"))
    parts.write_text(render(chunked(WIDE), "axolotl"))
    a, b = check(whole, budget_gib=80.0), check(parts, budget_gib=80.0)
    assert not [f for f in b.findings if f.code.startswith("AX")], b.findings  # a key Axolotl knows
    assert a.memory is not None and b.memory is not None
    assert b.memory.framework == "axolotl"
    assert b.memory.breakdown["logits_and_loss"] < a.memory.breakdown["logits_and_loss"]


def test_oom_advice_names_it_for_an_axolotl_run_only(tmp_path: Path) -> None:
    from ftguide.diagnose.profile import load_profile

    path = tmp_path / "axolotl.yaml"
    path.write_text(render(WIDE, "axolotl"))
    profile, framework = load_profile(str(path))
    assert framework == "axolotl"
    advice = {c.field: c for c in prescribe("oom", profile, "axolotl")}
    assert advice["chunked_cross_entropy"].recommended is True
    assert advice["chunked_cross_entropy"].current is False
    assert "chunked_cross_entropy" not in {c.field for c in prescribe("oom", profile, "peft")}
    # A run that already chunks is not told to.
    path.write_text(render(chunked(WIDE), "axolotl"))
    profile, _ = load_profile(str(path))
    assert profile.chunked_cross_entropy is True
    assert "chunked_cross_entropy" not in {c.field for c in prescribe("oom", profile, "axolotl")}
    # Without a profile (path unknown) the direction is listed, naming Axolotl.
    blind = {c.field: c for c in prescribe("oom", None)}
    assert "Axolotl" in blind["chunked_cross_entropy"].reason


def test_the_no_fit_error_names_the_chunked_loss_on_the_axolotl_path_only() -> None:
    for path, named in (("axolotl", True), ("peft", False)):
        with pytest.raises(FitError) as caught:
            suggest(Request(examples=800, model="70B", vram_gib=8, framework=path))  # type: ignore[arg-type]
        assert ("even with the chunked loss, checkpointing" in str(caught.value)) is named
