"""The estimator against the committed H200 measurements (calibration/results)."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "calibration"))

import fit  # noqa: E402

from ftguide import memory  # noqa: E402


def rows_with_errors(framework: str) -> list[dict]:
    """Every valid run, estimated with the committed coefficients (no refitting here)."""
    rows = fit.load(framework)
    context = fit.clean_context(rows)
    coef = memory.coefficients(framework)
    out = []
    for r in rows:
        measured = fit.target_gib(r, context)
        estimated = fit._estimate(coef, r, framework)
        out.append({**r, "error": (estimated - measured) / measured})
    return out


def test_enough_configurations_were_measured() -> None:
    peft = fit.load("peft")
    assert len(peft) >= 39
    assert {r["model"] for r in peft} >= {"llama-3.2-1b", "mistral-7b-v0.3", "llama-3.1-8b", "qwen2.5-14b"}
    assert {r["quant"] for r in peft} == {"4bit", "8bit", "none"}
    assert {r["gc"] for r in peft} == {True, False}
    assert {r["batch"] for r in peft} >= {1, 2, 4, 8, 16} and {r["seq"] for r in peft} >= {512, 1024, 2048, 4096}
    assert {r["r"] for r in peft} >= {8, 16, 32, 64}


def test_peft_held_out_error_meets_the_goal() -> None:
    held = [r for r in rows_with_errors("peft") if r.get("holdout")]
    assert len(held) >= 8
    assert all(r["error"] >= -0.05 for r in held), "an under-estimate beyond 5% is an OOM"
    # 8-bit runs with checkpointing are priced as without it on purpose (ftguide.memory.features): listed apart.
    precise = [abs(r["error"]) for r in held if not (r["quant"] == "8bit" and r["gc"])]
    assert statistics.median(precise) <= 0.05
    assert max(precise) <= 0.15


def test_unsloth_estimates_track_measurements() -> None:
    rows = rows_with_errors("unsloth")
    assert len(rows) >= 10
    # Since the fit takes every family round (at the tokens each run held), the Llama runs are over-estimated by
    # 3-12% (0.5% median when they were fitted alone) and the families under-estimated less often.
    assert statistics.median(abs(r["error"]) for r in rows) <= 0.10
    assert all(r["error"] >= -0.05 for r in rows), "an under-estimate beyond 5% is an OOM"


def test_committed_calibration_is_what_fit_py_produces(tmp_path: Path) -> None:
    committed = json.loads((ROOT / "src" / "ftguide" / "data" / "memory_calibration.json").read_text())
    for framework in ("peft", "unsloth"):
        coef, report = fit.fit_committed(framework)
        for key, value in committed["frameworks"][framework].items():
            if key != "source":
                assert getattr(coef, key) == pytest.approx(value, rel=1e-3, abs=1e-4), (framework, key)
        assert fit.summary(report) == committed["fit"][framework]


def test_fit_grid_ran_without_oom() -> None:
    rows = [json.loads(line) for line in (ROOT / "calibration" / "results" / "fitgrid.jsonl").read_text().splitlines()]
    assert len(rows) >= 15
    assert not any(r["oom"] for r in rows)
    assert all(r["rc"] == 0 for r in rows)


def test_peft_throughput_held_out_median_within_20_percent() -> None:
    _, report = fit.fit_throughput("peft")
    held = [abs(r["error"]) for r in report if r["holdout"]]
    assert len(held) >= 8
    assert statistics.median(held) <= 0.20


def test_every_held_out_round_names_real_configs_and_catalog_models() -> None:
    """Each config of rounds 3 to 7 exists, and is cut from the catalog model it names (same model_type)."""
    import families_plan

    from ftguide.catalog import resolve_model

    for table in [getattr(families_plan, f"ROUND{n}") for n in range(3, 8)]:
        for folder, (_, catalog_model) in table.items():
            arch = families_plan.arch_of(folder)
            if catalog_model is None:
                continue
            model = resolve_model(catalog_model)
            assert model.hidden_size == arch.hidden_size, (folder, catalog_model)
            # Qwen2.5 shapes run as a Llama class with q/k/v biases (README: transformers 5 swaps a qwen2
            # checkpoint's tokenizer for its own byte-level one).
            kinds = {model.model_type.split("_text")[0]} | ({"llama"} if model.model_type == "qwen2" else set())
            assert arch.model_type.split("_text")[0] in kinds, (folder, catalog_model)


def test_calibration_rows_are_exactly_one_sequence_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """seq - 1 one-token words plus the reader's EOS: every row trains as one full sequence.  Longer rows were cut
    into a full piece and a short remainder, and Unsloth's padding-free batches then held fewer than b x s tokens."""
    import runner

    monkeypatch.setattr(runner, "DATA_DIR", tmp_path)
    rows = [json.loads(line) for line in runner.build_dataset(1536).read_text().splitlines()]
    assert len(rows) == 64 and {len(r["text"].split()) for r in rows} == {1535}


def test_unsloth_runs_that_trained_partial_batches_are_judged_at_what_they_held() -> None:
    """Rounds 1-5 of Unsloth ran before the rows were exact: each is judged at its reproduced micro-batch."""
    assert fit.REAL_BATCHES and all(1 <= b < 8 for b in fit.REAL_BATCHES.values())
    row = next(r for r in fit.load_families("unsloth", "round4") if r["id"] in fit.REAL_BATCHES)
    assert fit.arch_profile(row)[1].batch_size == fit.REAL_BATCHES[row["id"]] < row["batch"]
    # Round 6 ran on exact rows: judged at b x s.
    for row in fit.load_families("unsloth", "round6"):
        assert row["id"] not in fit.REAL_BATCHES and fit.arch_profile(row)[1].batch_size == row["batch"]


def test_the_family_runner_writes_only_the_models_its_disk_can_hold(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Round 11's first device call wrote 18 models at once and filled the disk; the runner now leaves a model it
    cannot write (and that model's runs) for a later call, in the order its runs come."""
    import shutil
    from collections import namedtuple
    from types import SimpleNamespace

    import families_runner

    gib = 1024**3
    usage = namedtuple("usage", "total used free")
    sizes = {"big": 30 * gib, "mid": 25 * gib, "small": 5 * gib}

    class Weight:
        def __init__(self, nbytes: int) -> None:
            self.nbytes = nbytes

        def numel(self) -> int:
            return self.nbytes // 2

        def element_size(self) -> int:
            return 2

    def make_model(config: Path):  # type: ignore[no-untyped-def]
        return SimpleNamespace(parameters=lambda: [Weight(sizes[config.name])]), None

    def save_model(model, fast, folder: Path) -> None:  # type: ignore[no-untyped-def]
        folder.mkdir(parents=True)
        (folder / "done").write_text("ok")

    def disk_usage(path: Path):  # type: ignore[no-untyped-def]
        # A 60 GiB disk holding the models written so far.
        written = sum(sizes[p.name] for p in tmp_path.iterdir() if (p / "done").exists())
        return usage(0, 0, 60 * gib - written)

    monkeypatch.setattr(families_runner, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(families_runner, "make_model", make_model)
    monkeypatch.setattr(families_runner, "save_model", save_model)
    monkeypatch.setattr(shutil, "disk_usage", disk_usage)

    class WriteAtOnce:  # the savers' threads, run in place so the test sees one order of events
        def __init__(self, target, args) -> None:  # type: ignore[no-untyped-def]
            self.run = lambda: target(*args)

        def start(self) -> None:
            self.run()

        def join(self) -> None:
            pass

    monkeypatch.setattr(families_runner, "threading", SimpleNamespace(Thread=WriteAtOnce))
    skipped = families_runner.build_models([("big", "big"), ("mid", "mid"), ("small", "small")])
    # 30 GiB written; 25 more would leave less than the 6 GiB margin of the 30 left; 5 fits.
    assert skipped == {"mid"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big", "small"]


def test_peft_16bit_recomputed_layer_is_fitted() -> None:
    """PEFT's 16-bit recomputed layer is fitted since round 12 (at its traced 1.1 the 16-bit checkpointed runs were
    over by a median 5.6%); it comes out below the traced value.  Every round run so far is fitted."""
    assert "recompute" not in fit.FIXED_FOR["peft"]
    assert 0.8 < memory.coefficients("peft").recompute < 1.1
    assert set(fit.FITTED_ROUNDS) >= {f"round{n}" for n in range(2, 13)}
    assert "round13" in fit.HELDOUT_ROUNDS and "round13" not in fit.FITTED_ROUNDS  # the newest round stays blind


def test_a_rounds_results_are_its_own_not_a_later_rounds() -> None:
    """``round2`` (fitted) must not read ``round20-heldout.jsonl`` (held out): a round's prefix that ends in a digit
    takes no longer number, while ``families`` still takes its re-runs ``families2``, ``families3``, ..."""
    assert [p.name for p in fit.result_files("round2")] == ["round2-heldout.jsonl"]
    assert {p.name for p in fit.result_files("round20")} == {"round20-heldout.jsonl"}
    assert {"families.jsonl", "families2.jsonl"} <= {p.name for p in fit.result_files("families")}
    fitted = {r["id"] for r in fit.fitted_families("peft")}
    assert not any(i.startswith("h20-") for i in fitted)


def test_the_measured_4bit_loads_of_the_tensor_by_tensor_upcast_are_priced_within_two_percent() -> None:
    """calibration/results/load23*.jsonl: the PEFT script's 4-bit load on the H200 at 1 x 512 tokens (so the load is
    the worst moment), sixteen cuts of fifteen families, MoE and dense: the static terms plus the upcast transient
    (memory.upcast_transient_bytes) within -1.4 / +1.5 % of the reserved load peak, but Granite-3.1-3B's small cut
    (-4.4 %, 0.15 GiB); the whole estimate (training included) within -2.4 / +1.5 %."""
    coef = memory.coefficients("peft")
    rows = [
        json.loads(line)
        for name in ("load23.jsonl", "load23b.jsonl")
        for line in (ROOT / "calibration" / "results" / name).read_text().splitlines()
    ]
    assert len(rows) == 16 and all(r["rc"] == 0 for r in rows)
    context = fit.clean_context(fit.load("peft"))
    load_errors, errors = {}, {}
    for r in rows:
        arch, profile = fit.arch_profile(r)
        static = sum(memory.static_bytes(profile, arch, coef, "peft").values())
        static -= memory.expert_adapter_bytes(arch, profile, "peft")
        measured = r["measured"]["load_peak_reserved_bytes"]
        load = static + memory.upcast_transient_bytes(arch, memory.unquantized_expert_params(arch, "4bit"))
        load_errors[r["model"]] = (load - measured) / measured
        target = fit.target_gib(r, context)
        errors[r["model"]] = (fit._estimate(coef, r, "peft") - target) / target
    assert max(abs(e) for m, e in load_errors.items() if not m.startswith("granite")) < 0.02, load_errors
    assert -0.05 < load_errors["granite-3.1-3b-a800m-L8"] < 0
    assert min(errors.values()) > -0.025, errors
    assert max(errors.values()) < 0.02, errors


def test_the_gated_deltanet_trace_reruns_and_matches_the_price() -> None:
    """Re-runs calibration/linear_mixer_trace.py in the test tool environment (transformers 5.23 on the CPU) at widths
    the committed trace did not use, for Qwen3.5's mixer and Qwen3-Next's (fused input projections): autograd's
    saved tensors per token equal ``linear_attention_bytes`` for both."""
    import dataclasses
    import subprocess

    from ftguide.catalog import resolve_model

    python = ROOT / ".toolenvs" / "train" / "bin" / "python"
    for family, entry in (("qwen3_5", "qwen3.5-9b"), ("qwen3_next", "qwen3-next-80b-a3b")):
        done = subprocess.run(
            [
                str(python),
                str(ROOT / "calibration" / "linear_mixer_trace.py"),
                "--widths",
                "512,2,6,32,48",
                "--family",
                family,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        rows = json.loads(done.stdout)["rows"]
        assert len(rows) == 2 and all(r.get("family", "qwen3_5") == family for r in rows)
        linear = next(g for _, g in resolve_model(entry).layer_groups() if g.is_linear_attention)
        arch = dataclasses.replace(
            linear,
            hidden_size=512,
            linear_num_key_heads=2,
            linear_num_value_heads=6,
            linear_key_head_dim=32,
            linear_value_head_dim=48,
        )
        for row in rows:
            price = memory.linear_attention_bytes(arch, fp32=row["input"] == "fp32")
            assert price == pytest.approx(row["bytes_per_token"], rel=1e-3), (family, row)


def test_the_runner_gives_a_forced_tokenizer_class_words_it_reads(tmp_path: Path) -> None:
    """families_runner on transformers 5.23 (the test tool environment, CPU, meta weights): Qwen3.5-MoE's cut gets the
    byte-level test tokenizer, which the class AutoTokenizer forces on it reads one token a word; the dense Qwen3.5 cut
    keeps the word-level one.  A whole release (qwen3.5-4b: the image-text wrapper, vision tower included) is checked
    as its saved config reads, the wrapper's: round 25's first PEFT runs of it died on an empty dataset when the check
    had read the text model's config instead."""
    import os
    import subprocess

    script = f"""
import json, sys
from pathlib import Path
sys.path[:0] = [{str(ROOT / "calibration")!r}, {str(ROOT / "src")!r}]
import families_runner, runner
from transformers import AutoTokenizer
out = {{}}
for name in ("qwen3.5-35b-a3b-L4", "qwen3.5-9b-L8", "qwen3.5-4b"):
    model, fast = families_runner.make_model(Path({str(ROOT)!r}) / "calibration" / "families" / name / "config.json")
    folder = Path({str(tmp_path)!r}) / name
    folder.mkdir()
    model.config.save_pretrained(folder)
    fast.save_pretrained(folder)
    tok = AutoTokenizer.from_pretrained(folder)
    text = "ab zz qq" if getattr(fast, "ftg_letters", False) else "t4 t5 t6"
    out[name] = [type(tok).__name__, getattr(fast, "ftg_letters", False), len(tok(text)["input_ids"])]
print(json.dumps(out))
"""
    done = subprocess.run(
        [str(ROOT / ".toolenvs" / "train" / "bin" / "python"), "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "FTG_BUILD_DEVICE": "meta"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["qwen3.5-35b-a3b-L4"] == ["Qwen3_5Tokenizer", True, 3]
    assert out["qwen3.5-9b-L8"][1:] == [False, 3]
    assert out["qwen3.5-4b"] == ["Qwen3_5Tokenizer", True, 3]
