"""The catalogs: every entry consistent, every way of naming a model resolves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ftguide.catalog import ARCHITECTURES, GPU_CATALOG, SIZE_CLASSES, resolve_gpu, resolve_model
from ftguide.catalog.gpus import GPUS
from ftguide.catalog.models import MODELS
from ftguide.errors import InputError

REQUIRED_MODELS = [
    "llama-2-7b",
    "llama-2-13b",
    "llama-2-70b",
    "llama-3-8b",
    "llama-3-70b",
    "llama-3.1-8b",
    "llama-3.1-70b",
    "llama-3.2-1b",
    "llama-3.2-3b",
    "mistral-7b-v0.3",
    "mixtral-8x7b-v0.1",
    "qwen2.5-0.5b",
    "qwen2.5-1.5b",
    "qwen2.5-3b",
    "qwen2.5-7b",
    "qwen2.5-14b",
    "qwen2.5-32b",
    "qwen2.5-72b",
    "gemma-2-2b",
    "gemma-2-9b",
    "gemma-2-27b",
    "phi-3-mini-4k",
    "phi-3-medium-4k",
    "phi-4",
    "smollm2-1.7b",
]


def test_catalog_is_large_enough_and_has_the_required_models() -> None:
    assert len(MODELS) >= 30
    names = {a.name for a in ARCHITECTURES}
    assert set(REQUIRED_MODELS) <= names
    assert any(a.model_type == "qwen3" for a in ARCHITECTURES)
    assert any(a.model_type.startswith("gemma3") for a in ARCHITECTURES)


@pytest.mark.parametrize("arch", ARCHITECTURES, ids=lambda a: a.name)
def test_entry_is_consistent(arch) -> None:  # type: ignore[no-untyped-def]
    assert arch.hidden_size > 0 and arch.num_hidden_layers > 0 and arch.vocab_size > 0
    assert arch.num_attention_heads % arch.num_key_value_heads == 0
    assert arch.head_dim * arch.num_attention_heads >= arch.hidden_size // 2
    # The stated parameter count matches the architecture (norms and biases aside).
    assert arch.total_params() / 1e9 == pytest.approx(arch.params_b, rel=0.03)
    assert set(arch.min_modules) <= set(arch.all_modules)
    assert arch.attention_modules
    if arch.num_experts is None:
        assert arch.mlp_modules
    assert resolve_model(arch.name) is arch
    assert resolve_model(arch.hf_id) is arch


def test_size_classes_are_named_references() -> None:
    for label in ("7B", "13B", "70B", "0.5B", "8x7B", "8B", "1B", "3B", "14B"):
        assert label in SIZE_CLASSES
    assert resolve_model("7b") is SIZE_CLASSES["7B"]
    assert resolve_model("8x7B").num_experts == 8


@pytest.mark.parametrize(
    "spec",
    ["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", "unsloth/Meta-Llama-3.1-8B", "LLAMA-3.1-8B"],
)
def test_hf_id_variants_resolve(spec: str) -> None:
    assert resolve_model(spec).name == "llama-3.1-8b"


def test_unknown_model_offers_close_matches() -> None:
    with pytest.raises(InputError, match=r"closest: .*llama-3\.1-8b"):
        resolve_model("llama-3.1-8bb")
    with pytest.raises(InputError, match="size class"):
        resolve_model("5B")


def test_local_config_json_and_folder(tmp_path: Path) -> None:
    config = {
        "model_type": "llama",
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": 2048,
        "num_hidden_layers": 16,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "intermediate_size": 8192,
        "vocab_size": 128256,
        "tie_word_embeddings": True,
        "max_position_embeddings": 131072,
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    from_folder = resolve_model(str(tmp_path))
    from_file = resolve_model(str(tmp_path / "config.json"))
    reference = resolve_model("llama-3.2-1b")
    for arch in (from_folder, from_file):
        assert arch.total_params() == reference.total_params()
        assert arch.all_modules == reference.all_modules
        assert arch.hf_id == str(tmp_path)


@pytest.mark.parametrize(
    ("field", "model_type"), [("attention_bias", "llama"), ("use_qkv_bias", "stablelm"), ("qkv_bias", "internlm3")]
)
def test_each_familys_name_for_qkv_biases_is_read(tmp_path: Path, field: str, model_type: str) -> None:
    base = {"model_type": model_type, "hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 4}
    for value in (True, False):
        (tmp_path / "config.json").write_text(json.dumps({**base, "vocab_size": 1000, field: value}))
        assert resolve_model(str(tmp_path)).attention_bias is value


@pytest.mark.parametrize("content", ["", "[1, 2]", '{"hidden_size": 8}', "not json", '{"hidden_size": -1}'])
def test_bad_local_config(tmp_path: Path, content: str) -> None:
    path = tmp_path / "config.json"
    path.write_text(content)
    with pytest.raises(InputError, match="--model"):
        resolve_model(str(path))


def test_missing_local_path() -> None:
    with pytest.raises(InputError, match="no such file"):
        resolve_model("./does-not-exist/config.json")


def test_gpu_catalog() -> None:
    names = {g.name for g in GPU_CATALOG}
    for required in (
        "T4",
        "V100-16GB",
        "RTX-3060-12GB",
        "RTX-3090",
        "RTX-4060-Ti-16GB",
        "RTX-4090",
        "A10G",
        "L4",
        "L40S",
        "A100-40GB",
        "A100-80GB",
        "H100-80GB",
        "H200",
    ):
        assert required in names
    assert len(GPUS) == len(GPU_CATALOG)
    for gpu in GPU_CATALOG:
        if gpu.vendor == "nvidia" and gpu.compute_capability:
            major = int(gpu.compute_capability.split(".")[0])
            assert gpu.bf16 == (major >= 8), gpu.name
            assert gpu.flash_attention == (major >= 8), gpu.name
    assert resolve_gpu("tesla t4").name == "T4"
    assert resolve_gpu("rtx 4090").name == "RTX-4090"
    with pytest.raises(InputError, match="--gpu"):
        resolve_gpu("GTX-9999")


# GLM-4.5-MoE and ERNIE-4.5-MoE: their released config.json fields (sources in catalog/models.py), read back as the
# catalog entries: routed, shared and dense-layer shapes included. The MTP layer (num_nextn_predict_layers) is not
# counted: transformers 5.23 builds num_hidden_layers layers only.
_GLM45_AIR_CONFIG = {
    "architectures": ["Glm4MoeForCausalLM"],
    "model_type": "glm4_moe",
    "attention_bias": True,
    "head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "partial_rotary_factor": 0.5,
    "intermediate_size": 10944,
    "max_position_embeddings": 131072,
    "moe_intermediate_size": 1408,
    "norm_topk_prob": True,
    "num_attention_heads": 96,
    "n_group": 1,
    "topk_group": 1,
    "n_routed_experts": 128,
    "n_shared_experts": 1,
    "routed_scaling_factor": 1.0,
    "num_experts_per_tok": 8,
    "first_k_dense_replace": 1,
    "num_hidden_layers": 46,
    "num_key_value_heads": 8,
    "rms_norm_eps": 1e-05,
    "rope_theta": 1000000,
    "num_nextn_predict_layers": 1,
    "tie_word_embeddings": False,
    "use_qk_norm": False,
    "vocab_size": 151552,
}
_GLM45_CONFIG = {
    **_GLM45_AIR_CONFIG,
    "hidden_size": 5120,
    "intermediate_size": 12288,
    "moe_intermediate_size": 1536,
    "n_routed_experts": 160,
    "routed_scaling_factor": 2.5,
    "first_k_dense_replace": 3,
    "num_hidden_layers": 92,
    "use_qk_norm": True,
}
_ERNIE45_21B_CONFIG = {
    "architectures": ["Ernie4_5_MoeForCausalLM"],
    "model_type": "ernie4_5_moe",
    "hidden_act": "silu",
    "hidden_size": 2560,
    "intermediate_size": 12288,
    "max_position_embeddings": 131072,
    "moe_intermediate_size": 1536,
    "moe_k": 6,
    "moe_layer_end_index": 27,
    "moe_layer_interval": 1,
    "moe_layer_start_index": 1,
    "moe_num_experts": 64,
    "moe_num_shared_experts": 2,
    "num_attention_heads": 20,
    "num_hidden_layers": 28,
    "num_key_value_heads": 4,
    "rms_norm_eps": 1e-05,
    "rope_theta": 500000.0,
    "tie_word_embeddings": True,
    "use_bias": False,
    "vocab_size": 103424,
}


# Qwen2-MoE and Hunyuan-MoE: their released config.json fields (sources in catalog/models.py), read back as the
# catalog entries. Neither Qwen2-MoE config names its q/k/v biases (transformers' qkv_bias defaults to true), and
# Hunyuan-A13B gives its top-k, expert width and shared-expert count once per layer.
_QWEN15_MOE_CONFIG = {
    "architectures": ["Qwen2MoeForCausalLM"],
    "model_type": "qwen2_moe",
    "decoder_sparse_step": 1,
    "hidden_act": "silu",
    "hidden_size": 2048,
    "intermediate_size": 5632,
    "max_position_embeddings": 32768,
    "max_window_layers": 21,
    "moe_intermediate_size": 1408,
    "norm_topk_prob": False,
    "num_attention_heads": 16,
    "num_experts": 60,
    "num_experts_per_tok": 4,
    "num_hidden_layers": 24,
    "num_key_value_heads": 16,
    "rms_norm_eps": 1e-06,
    "rope_theta": 1000000.0,
    "shared_expert_intermediate_size": 5632,
    "sliding_window": 32768,
    "tie_word_embeddings": False,
    "use_sliding_window": False,
    "vocab_size": 151936,
}
_QWEN2_57B_CONFIG = {
    **_QWEN15_MOE_CONFIG,
    "hidden_size": 3584,
    "intermediate_size": 18944,
    "max_position_embeddings": 131072,
    "max_window_layers": 28,
    "moe_intermediate_size": 2560,
    "num_attention_heads": 28,
    "num_experts": 64,
    "num_experts_per_tok": 8,
    "num_hidden_layers": 28,
    "num_key_value_heads": 4,
    "shared_expert_intermediate_size": 20480,
    "sliding_window": 131072,
}
_HUNYUAN_A13B_CONFIG = {
    "architectures": ["HunYuanMoEV1ForCausalLM"],
    "model_type": "hunyuan_v1_moe",
    "attention_bias": False,
    "attention_dropout": 0.1,
    "attention_head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "intermediate_size": 3072,
    "max_position_embeddings": 32768,
    "mlp_bias": False,
    "moe_intermediate_size": [3072] * 32,
    "moe_layer_num_skipped": 0,
    "moe_topk": [8] * 32,
    "norm_topk_prob": True,
    "num_attention_heads": 32,
    "num_experts": 64,
    "num_hidden_layers": 32,
    "num_key_value_heads": 8,
    "num_shared_expert": [1] * 32,
    "rms_norm_eps": 1e-05,
    "rope_scaling": {"alpha": 1000.0, "factor": 1.0, "type": "dynamic"},
    "rope_theta": 10000.0,
    "tie_word_embeddings": True,
    "use_cla": False,
    "use_mixed_mlp_moe": True,
    "use_qk_norm": True,
    "vocab_size": 128167,
}


# dots.llm1: its released config.json fields (source in catalog/models.py), read back as the catalog entry: routed,
# shared and dense-layer shapes included (head_dim absent, from hidden / heads; n_group / topk_group null as given).
_DOTS_LLM1_CONFIG = {
    "architectures": ["Dots1ForCausalLM"],
    "model_type": "dots1",
    "hidden_size": 4096,
    "num_hidden_layers": 62,
    "intermediate_size": 10944,
    "num_attention_heads": 32,
    "num_key_value_heads": 32,
    "rms_norm_eps": 1e-05,
    "vocab_size": 152064,
    "first_k_dense_replace": 1,
    "moe_intermediate_size": 1408,
    "n_routed_experts": 128,
    "n_shared_experts": 2,
    "num_experts_per_tok": 6,
    "norm_topk_prob": True,
    "routed_scaling_factor": 2.5,
    "n_group": None,
    "topk_group": None,
    "max_position_embeddings": 32768,
    "rope_theta": 10000000,
    "scoring_func": "sigmoid",
    "attention_bias": False,
    "tie_word_embeddings": False,
    "sliding_window": None,
    "max_window_layers": 62,
}


_SHAPE_FIELDS = (
    "model_type",
    "architecture",
    "hidden_size",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "head_dim",
    "intermediate_size",
    "vocab_size",
    "tie_word_embeddings",
    "max_position_embeddings",
    "attention_bias",
    "num_experts",
    "num_experts_per_tok",
    "attention_modules",
    "mlp_modules",
    "shared_expert_intermediate_size",
    "shared_expert_gate",
    "dense_layers",
    "dense_intermediate_size",
)


@pytest.mark.parametrize(
    ("name", "config"),
    [
        ("glm-4.5-air", _GLM45_AIR_CONFIG),
        ("glm-4.5", _GLM45_CONFIG),
        ("glm-4.6", {**_GLM45_CONFIG, "max_position_embeddings": 202752}),
        ("ernie-4.5-21b-a3b", _ERNIE45_21B_CONFIG),
        ("ernie-4.5-21b-a3b", {**_ERNIE45_21B_CONFIG, "moe_layer_end_index": -1}),
        ("qwen1.5-moe-a2.7b", _QWEN15_MOE_CONFIG),
        ("qwen1.5-moe-a2.7b", {**_QWEN15_MOE_CONFIG, "mlp_only_layers": [], "qkv_bias": True}),
        ("qwen2-57b-a14b", _QWEN2_57B_CONFIG),
        ("hunyuan-a13b", _HUNYUAN_A13B_CONFIG),
        ("dots.llm1", _DOTS_LLM1_CONFIG),
        ("dots.llm1", {**_DOTS_LLM1_CONFIG, "head_dim": 128, "n_group": 1, "topk_group": 1}),
    ],
)
def test_moe_configs_with_shared_experts_read_as_their_catalog_entries(
    tmp_path: Path, name: str, config: dict[str, object]
) -> None:
    """A released config.json of each shared-expert family reads as its catalog entry, shape for shape."""
    (tmp_path / "config.json").write_text(json.dumps(config))
    read, entry = resolve_model(str(tmp_path)), resolve_model(name)
    for field in _SHAPE_FIELDS:
        assert getattr(read, field) == getattr(entry, field), field
    assert read.total_params() == entry.total_params()
    assert read.module_shapes() == entry.module_shapes()
    if name == "dots.llm1":
        assert (read.shared_expert_intermediate_size, read.dense_layers) == (2816, 1)
