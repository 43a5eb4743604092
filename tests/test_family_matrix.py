"""The family matrix: for every family in the catalog, ftguide's files load, train and validate.

For each family (a catalog model of it, ``MATRIX_MODELS``) and each of 4-bit and 16-bit:

* ``ftguide suggest --examples 64 --model M --emit peft`` renders the PEFT + TRL script; it trains 2 steps on
  the CPU against a tiny random model of the family's real architecture class (``make_tiny_model.py``), and the
  adapter it saves must wrap exactly the modules the profile targets.
* ``ftguide suggest ... --emit axolotl`` renders the Axolotl YAML; Axolotl's own validator must accept it, and
  what it says about the model must be true of the family (an attention implementation the class accepts, LoRA
  targets that exist in it).

Cells that fail because of ftguide's own output today are ``xfail(strict=True, raises=KnownFailure)`` with
the reason (``KNOWN_FAILURES``). They count as expected only when they fail for the listed cause (the
transformers error in the log, the refused value in the YAML); any other failure is a plain failure. When
the fix lands they pass, strict xfail turns that into a failure, and the entry must go. The tool
environments come from ``ci/toolenvs.sh``; under ``CI=true`` a missing one is a failure.

Cost: one process builds every tiny model, the 2 x families scripts run in two processes (one per core)
through ``tests/tools/run_scripts.py`` so the stack is imported once per process, and one Axolotl validator
call checks every YAML.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, in_ci, run_cli

from ftguide.catalog.families import family_of

pytestmark = pytest.mark.integration

TOOLENVS = Path(os.environ.get("FTGUIDE_TOOLENVS", ROOT / ".toolenvs"))
TRAIN_PY = TOOLENVS / "train" / "bin" / "python"
AXOLOTL_PY = TOOLENVS / "axolotl" / "bin" / "python"
TOOLS = ROOT / "tests" / "tools"
OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "AXOLOTL_DO_NOT_TRACK": "1",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

#: One catalog model per family in the catalog (tests/test_families.py checks this covers the catalog).
MATRIX_MODELS: dict[str, str] = {
    "llama": "llama-3.2-1b",
    "mistral": "mistral-7b-v0.3",
    "ministral": "ministral-8b",
    "ministral3": "ministral-3-8b",
    "qwen2": "qwen2.5-0.5b",
    "qwen3": "qwen3-0.6b",
    "gemma": "gemma-2b",
    "gemma2": "gemma-2-2b",
    "vaultgemma": "vaultgemma-1b",
    "gemma3_text": "gemma-3-1b",
    "gemma3": "gemma-3-4b",
    "phi3": "phi-3-mini-4k",
    "mixtral": "mixtral-8x7b-v0.1",
    "qwen3_moe": "qwen3-30b-a3b",
    "gpt_oss": "gpt-oss-20b",
    "smollm3": "smollm3-3b",
    "olmo2": "olmo-2-7b",
    "granite": "granite-3.3-8b",
    "glm4": "glm-4-9b-0414",
    "ernie4_5": "ernie-4.5-0.3b",
    "olmoe": "olmoe-1b-7b",
    "phimoe": "phi-3.5-moe",
    "granitemoe": "granite-3.1-3b-a800m",
    "exaone4": "exaone-4.0-1.2b",
    "apertus": "apertus-8b",
    "nemotron": "minitron-4b",
    "arcee": "afm-4.5b",
    "olmo3": "olmo-3-7b",
    "seed_oss": "seed-oss-36b",
    "hunyuan_v1_dense": "hunyuan-7b",
    "helium": "helium-1-preview-2b",
    "stablelm": "stablelm-2-1.6b",
    "cohere": "aya-expanse-8b",
    "cohere2": "command-r7b-12-2024",
    "internlm3": "internlm3-8b",
    "glm": "glm-4-9b-hf",
    "olmo": "olmo-1b-hf",
    "qwen2_moe": "qwen1.5-moe-a2.7b",
    "hunyuan_v1_moe": "hunyuan-a13b",
    "glm4_moe": "glm-4.5-air",
    "ernie4_5_moe": "ernie-4.5-21b-a3b",
    "dots1": "dots.llm1",
    "cohere2_moe": "north-mini-code-1.0",
    "exaone_moe": "k-exaone-236b-a23b",
    "deepseek_v3": "deepseek-v3",
    "glm4_moe_lite": "glm-4.7-flash",
    "mistral4": "mistral-small-4-119b",
    "afmoe": "trinity-mini",
    "llama4_text": "llama-4-scout-17b-16e",
    "flex_olmo": "flexolmo-7x7b-1t",
    "minimax_m2": "minimax-m2",
    "solar_open": "solar-open-100b",
    "qwen3_5_text": "qwen3.5-9b",
    "qwen3_5_moe_text": "qwen3.5-35b-a3b",
    "qwen3_next": "qwen3-next-80b-a3b",
}
QUANTS = ("4bit", "none")  # QLoRA and 16-bit LoRA
TARGETS = ("peft", "axolotl")
#: The budget every cell is suggested for: big enough for each model in 16-bit, no GPU named (so no
#: card-specific kernel such as FlashAttention is assumed: the scripts run on a CPU).
VRAM_GIB = "192"
#: Cells whose real footprint is above VRAM_GIB: Axolotl keeps the fused experts of a 4-bit MoE in fp32 (its
#: embeddings_skip_upcast spares only embed_tokens / lm_head), and Mixtral-8x7B's 45B expert weights alone then
#: take 168 GiB (measured on a truncated Mixtral on the H200: 10.5 GiB of fp32 experts for 2 of its 32 layers).
#: MiniMax-M2 (229B, its experts 16-bit even in 4-bit) needs about 448 GiB on the script paths in either
#: quantization, and Axolotl's fp32 experts in 4-bit about 950 GiB (ftguide's own figures).
#: Hunyuan-A13B (80.4B, its experts 16-bit even in 4-bit) fits 192 GiB on the script paths, but Axolotl's fp32
#: experts in 4-bit need about 333 GiB (ftguide's own figure).
#: GLM-4.5-Air (106.9B, its 45 layers of 128 experts 16-bit even in 4-bit) needs about 204 GiB on the script paths
#: and Axolotl's fp32 experts in 4-bit about 428 GiB (ftguide's own figures).
#: dots.llm1 (142.8B, its 61 layers of 128 experts 16-bit even in 4-bit) needs about 274 GiB on the script paths and
#: Axolotl about 576 GiB in either quantization (ftguide's own figures).
#: Llama 4 Scout (107.8B, its 48 layers of 16 experts 16-bit even in 4-bit) needs about 201 GiB on the script paths
#: and Axolotl's fp32 experts in 4-bit about 419 GiB (ftguide's own figures).
#: Solar Open 100B (102.7B, its 48 layers of 128 experts 16-bit even in 4-bit) needs about 198 GiB on the script
#: paths and Axolotl's fp32 experts in 4-bit about 415 GiB (ftguide's own figures).
#: K-EXAONE (236.6B, its 47 layers of 128 experts 16-bit even in 4-bit) needs about 475 GiB on the script paths and
#: Axolotl about 970 GiB in either quantization (ftguide's own figures).
#: DeepSeek-V3 (671B, its 58 layers of 256 experts 16-bit even in 4-bit, fp32 under PEFT's 4-bit path) needs about
#: 1,570 GiB in 16-bit and 3,160 GiB in 4-bit on the PEFT script, 1,620 / 2,920 GiB on Axolotl; GLM-4.7-Flash
#: (29.9B) about 197 GiB in 4-bit on either (ftguide's own figures).
#: Mistral Small 4 (119.0B text, its 36 layers of 128 experts 16-bit even in 4-bit) needs about 235 GiB on the
#: PEFT script in either quantization and on Axolotl in 16-bit, and Axolotl's fp32 experts in 4-bit about 404 GiB
#: (ftguide's own figures).
#: Qwen3-Next-80B-A3B (79.7B, its 48 layers of 512 experts 16-bit even in 4-bit) fits 192 GiB on the PEFT script in
#: either quantization and on Axolotl in 16-bit, and Axolotl's fp32 experts in 4-bit need about 330 GiB (ftguide's
#: own figures).
VRAM_FOR: dict[tuple[str, str, str], str] = {
    ("deepseek_v3", "4bit", "peft"): "4096",
    ("deepseek_v3", "none", "peft"): "4096",
    ("deepseek_v3", "4bit", "axolotl"): "4096",
    ("deepseek_v3", "none", "axolotl"): "4096",
    ("glm4_moe_lite", "4bit", "peft"): "256",
    ("glm4_moe_lite", "4bit", "axolotl"): "256",
    ("mistral4", "4bit", "peft"): "384",
    ("mistral4", "none", "peft"): "384",
    ("mistral4", "4bit", "axolotl"): "512",
    ("mistral4", "none", "axolotl"): "384",
    ("exaone_moe", "4bit", "peft"): "512",
    ("exaone_moe", "none", "peft"): "512",
    ("exaone_moe", "4bit", "axolotl"): "1024",
    ("exaone_moe", "none", "axolotl"): "1024",
    ("mixtral", "4bit", "axolotl"): "320",
    ("minimax_m2", "4bit", "peft"): "512",
    ("minimax_m2", "none", "peft"): "512",
    ("minimax_m2", "none", "axolotl"): "512",
    ("minimax_m2", "4bit", "axolotl"): "1024",
    ("hunyuan_v1_moe", "4bit", "axolotl"): "384",
    ("glm4_moe", "4bit", "peft"): "320",
    ("glm4_moe", "none", "peft"): "320",
    ("glm4_moe", "none", "axolotl"): "320",
    ("glm4_moe", "4bit", "axolotl"): "512",
    ("dots1", "4bit", "peft"): "320",
    ("dots1", "none", "peft"): "320",
    ("dots1", "none", "axolotl"): "640",
    ("dots1", "4bit", "axolotl"): "640",
    ("llama4_text", "4bit", "peft"): "256",
    ("llama4_text", "none", "peft"): "256",
    ("llama4_text", "none", "axolotl"): "256",
    ("llama4_text", "4bit", "axolotl"): "512",
    ("solar_open", "4bit", "peft"): "256",
    ("solar_open", "none", "peft"): "256",
    ("solar_open", "none", "axolotl"): "256",
    ("solar_open", "4bit", "axolotl"): "512",
    ("qwen3_next", "4bit", "axolotl"): "384",
}

#: (model_type, target) -> (why the cell fails today, in both quantizations; text the failure must show).
#: Empty now. Until commit 95f7af3 (AT001 renders the family's attention) it held gemma2 and gpt_oss, peft and
#: axolotl: ftguide rendered attn_implementation sdpa, which Gemma2ForCausalLM and GptOssForCausalLM refuse on
#: transformers 5.23 ("... does not support an attention implementation through
#: torch.nn.functional.scaled_dot_product_attention yet"), so the scripts died at from_pretrained.  Briefly it held
#: glm4_moe, ernie4_5_moe and hunyuan_v1_moe, peft: PEFT 0.21.2 moved their gate/up/down_proj targets onto the fused
#: routed experts, which refuse lora_dropout; their records now say so (peft_moves_mlp_targets) and ftguide adapts
#: their attention only.
KNOWN_FAILURES: dict[tuple[str, str], tuple[str, str]] = {}


class KnownFailure(Exception):
    """A cell failed exactly the way KNOWN_FAILURES says; any other failure stays a plain test failure."""


def known_failure(model_type: str, target: str, evidence: str) -> None:
    """Raise KnownFailure when this cell is listed and ``evidence`` shows the listed cause."""
    known = KNOWN_FAILURES.get((model_type, target))
    if known and known[1] in evidence:
        raise KnownFailure(known[0])


def need(path: Path) -> None:
    if path.exists():
        return
    message = f"{path} missing: run ci/toolenvs.sh"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def tool(python: Path, *args: str, timeout: int = 900, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **OFFLINE)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(python), *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd, check=False
    )


def profile_of(script: Path) -> dict[str, Any]:
    """The PROFILE dict literal of a rendered PEFT script."""
    for node in ast.parse(script.read_text()).body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == ["PROFILE"]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{script}: no PROFILE")


def cell_id(model_type: str, quant: str) -> str:
    return f"{model_type}-{'qlora' if quant == '4bit' else 'lora16'}"


def cells(target: str) -> list[Any]:
    params = []
    for model_type in MATRIX_MODELS:
        for quant in QUANTS:
            marks = []
            if (model_type, target) in KNOWN_FAILURES:
                reason = KNOWN_FAILURES[(model_type, target)][0]
                marks.append(pytest.mark.xfail(raises=KnownFailure, strict=True, reason=reason))
            params.append(pytest.param(model_type, quant, marks=marks, id=cell_id(model_type, quant)))
    return params


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("family-matrix")


@pytest.fixture(scope="module")
def tiny_models(workdir: Path) -> dict[str, Path]:
    """One tiny model per family, all built in one process."""
    need(TRAIN_PY)
    out = workdir / "models"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import make_tiny_model as m\n"
        "for family in sys.argv[3:]:\n"
        "    assert m.main([f'{sys.argv[2]}/{family}', '--family', family]) == 0\n"
    )
    done = tool(TRAIN_PY, "-c", code, str(TOOLS), str(out), *MATRIX_MODELS, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    built = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [b["family"] for b in built] == list(MATRIX_MODELS)
    for summary in built:
        assert summary["architectures"] == [family_of(summary["family"]).architecture], summary
    return {model_type: out / model_type for model_type in MATRIX_MODELS}


@pytest.fixture(scope="module")
def data(workdir: Path) -> Path:
    out = workdir / "data"
    done = subprocess.run(
        [sys.executable, str(TOOLS / "make_datasets.py"), str(out), "--n", "64"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out / "alpaca.jsonl"


@pytest.fixture(scope="module")
def rendered(workdir: Path) -> dict[tuple[str, str, str], Path]:
    """(model_type, quant, target) -> the file ``ftguide suggest --emit`` wrote, rendered in parallel."""
    jobs = [(m, q, t) for m in MATRIX_MODELS for q in QUANTS for t in TARGETS]

    def render(job: tuple[str, str, str]) -> tuple[tuple[str, str, str], Path]:
        model_type, quant, target = job
        vram = VRAM_FOR.get(job, VRAM_GIB)
        args = ["suggest", "--examples", "64", "--model", MATRIX_MODELS[model_type], "--vram", vram]
        done = run_cli(*args, "--quant", quant, "--emit", target)
        assert done.returncode == 0, (job, done.stderr)
        folder = workdir / "cells" / target / cell_id(model_type, quant)
        folder.mkdir(parents=True)
        path = folder / ("train.py" if target == "peft" else "axolotl.yaml")
        path.write_text(done.stdout)
        return job, path

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(render, jobs))


@pytest.fixture(scope="module")
def trained(
    rendered: dict[tuple[str, str, str], Path], tiny_models: dict[str, Path], data: Path
) -> dict[str, dict[str, Any]]:
    """Every PEFT script trained 2 steps on the CPU; two runner processes, one per core."""
    work = []
    for (model_type, quant, target), script in rendered.items():
        if target != "peft":
            continue
        out = script.parent / "out"
        argv = [
            "--base-model",
            str(tiny_models[model_type]),
            "--dataset",
            str(data),
            "--dataset-format",
            "alpaca",
            "--output-dir",
            str(out),
            "--max-steps",
            "2",
            "--eval-steps",
            "2",
            "--max-seq-length",
            "64",
            "--batch-size",
            "2",
            "--gradient-accumulation-steps",
            "1",
            "--metrics-json",
            str(out / "metrics.json"),
        ]
        work.append({"id": cell_id(model_type, quant), "script": str(script), "argv": argv, "cwd": str(script.parent)})
    halves = [work[0::2], work[1::2]]
    procs = []
    runs = next(iter(rendered.values())).parents[2]
    for i, half in enumerate(halves):
        spec = runs / f"runner{i}.json"
        spec.write_text(json.dumps(half))
        env = dict(os.environ, **OFFLINE, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        env.pop("PYTHONPATH", None)
        procs.append(
            subprocess.Popen(
                [str(TRAIN_PY), str(TOOLS / "run_scripts.py"), str(spec)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=runs,
            )
        )
    results: dict[str, dict[str, Any]] = {}
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=900)
        assert proc.returncode == 0, stderr[-4000:]
        results.update(json.loads(stdout))
    return results


@pytest.fixture(scope="module")
def validated(rendered: dict[tuple[str, str, str], Path]) -> dict[str, dict[str, Any]]:
    """Axolotl's validator over every rendered YAML, in one call."""
    need(AXOLOTL_PY)
    files = [path for (_, _, target), path in rendered.items() if target == "axolotl"]
    caps = {"bf16": True, "fp8": False, "tf32": True, "n_gpu": 1, "compute_capability": "sm_90"}
    done = tool(
        AXOLOTL_PY, str(TOOLS / "axolotl_validate.py"), "--gpu-caps", json.dumps(caps), *map(str, files), timeout=600
    )
    assert done.stdout.strip(), done.stderr[-3000:]
    return {r["file"]: r for r in json.loads(done.stdout)["results"]}


# ------------------------------------------------------------------------------------------- cells


@pytest.mark.parametrize(("model_type", "quant"), cells("peft"))
def test_peft_script_trains(
    model_type: str, quant: str, trained: dict[str, dict[str, Any]], rendered: dict[tuple[str, str, str], Path]
) -> None:
    script = rendered[(model_type, quant, "peft")]
    result = trained[cell_id(model_type, quant)]
    log = (script.parent / "log.txt").read_text(encoding="utf-8", errors="replace")
    if result["rc"] != 0:
        known_failure(model_type, "peft", log)
    assert result["rc"] == 0, f"{result['error']}\n--- log tail ---\n{log[-2500:]}"
    out = script.parent / "out"
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] == 2 and metrics["final_loss"] is not None
    # The adapter wraps what the profile targets, and those are the family's modules.
    profile = profile_of(script)
    assert profile["quantization"] == quant
    adapter = json.loads((out / "adapter_config.json").read_text())
    assert set(adapter["target_modules"]) == set(profile["target_modules"])
    family = family_of(model_type)
    assert set(profile["target_modules"]) <= set(family.all_modules)
    assert (out / "adapter_model.safetensors").exists()


@pytest.mark.parametrize(("model_type", "quant"), cells("axolotl"))
def test_axolotl_yaml_validates_and_fits_the_family(
    model_type: str, quant: str, validated: dict[str, dict[str, Any]], rendered: dict[tuple[str, str, str], Path]
) -> None:
    path = rendered[(model_type, quant, "axolotl")]
    result = validated[str(path)]
    assert result["ok"], result["errors"]
    assert result["unknown_keys"] == [], result["unknown_keys"]
    doc = yaml.safe_load(path.read_text())
    family = family_of(model_type)
    assert doc["load_in_4bit"] is (quant == "4bit")
    if not family.accepts(doc["attn_implementation"]):
        known_failure(model_type, "axolotl", path.read_text())
    assert family.accepts(doc["attn_implementation"]), (
        f"{family.architecture} refuses attn_implementation {doc['attn_implementation']!r} "
        f"(accepts {family.attn_implementations}): {family.eager_reason}"
    )
    assert set(doc["lora_target_modules"]) <= set(family.all_modules), doc["lora_target_modules"]
    wrap = (doc.get("fsdp_config") or {}).get("transformer_layer_cls_to_wrap")
    assert wrap in (None, family.decoder_layer)


@pytest.fixture(scope="module")
def kernel_probe(tiny_models: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Axolotl's own attention-kernel patch tried on every family's tiny model, in one call."""
    need(AXOLOTL_PY)
    done = tool(AXOLOTL_PY, str(TOOLS / "axolotl_kernel_probe.py"), *map(str, tiny_models.values()), timeout=600)
    assert done.stdout.strip(), done.stderr[-3000:]
    by_folder = {r["model"]: r for r in json.loads(done.stdout.strip().splitlines()[-1])["results"]}
    return {model_type: by_folder[str(folder)] for model_type, folder in tiny_models.items()}


@pytest.mark.parametrize(("model_type", "quant"), cells("axolotl"))
def test_axolotl_yaml_keeps_lora_kernels_off_where_axolotl_cannot_patch_them(
    model_type: str, quant: str, kernel_probe: dict[str, dict[str, Any]], rendered: dict[tuple[str, str, str], Path]
) -> None:
    """Axolotl switches its fused LoRA kernels on by default and rewrites the attention's source for them; on a
    family whose rewrite fails (Phi-3's fused qkv_proj: "Original QKV code not found", which stopped
    ``axolotl train`` at load on the H200), the YAML must switch them off, and elsewhere leave Axolotl's default."""
    doc = yaml.safe_load(rendered[(model_type, quant, "axolotl")].read_text())
    probe = kernel_probe[model_type]
    if probe["patchable"]:
        assert "lora_qkv_kernel" not in doc and "lora_o_kernel" not in doc
    else:
        assert doc.get("lora_qkv_kernel") is False and doc.get("lora_o_kernel") is False, probe["error"]
