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


# Solar Open 100B: its released config.json fields (source in catalog/models.py), read back as the catalog entry: 128
# routed experts (n_routed_experts) and one shared expert of the routed width, every layer sparse
# (first_k_dense_replace 0), the unused intermediate_size (10240) sizing nothing.
_SOLAR_OPEN_100B_CONFIG = {
    "architectures": ["SolarOpenForCausalLM"],
    "model_type": "solar_open",
    "hidden_size": 4096,
    "num_hidden_layers": 48,
    "num_attention_heads": 64,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "intermediate_size": 10240,
    "moe_intermediate_size": 1280,
    "n_routed_experts": 128,
    "n_shared_experts": 1,
    "num_experts_per_tok": 8,
    "norm_topk_prob": True,
    "routed_scaling_factor": 1.0,
    "first_k_dense_replace": 0,
    "partial_rotary_factor": 1.0,
    "rms_norm_eps": 1e-05,
    "rope_theta": 1000000,
    "rope_scaling": {"type": "yarn", "factor": 2.0, "original_max_position_embeddings": 65536},
    "max_position_embeddings": 131072,
    "vocab_size": 196608,
    "tie_word_embeddings": False,
}

# North Mini Code 1.0: its released config.json fields (sources in catalog/models.py), read back as the catalog entry:
# 128 routed experts of intermediate_size (768), layer 0 dense at prefix_dense_intermediate_size (3072), no shared
# expert, head_dim 128 given (wider than 2048 / 32), tie_word_embeddings absent (the class default, tied).
_NORTH_LAYER_TYPES = ["full_attention" if i % 4 == 0 else "sliding_attention" for i in range(49)]
_NORTH_MINI_CODE_CONFIG = {
    "architectures": ["Cohere2MoeForCausalLM"],
    "model_type": "cohere2_moe",
    "hidden_size": 2048,
    "head_dim": 128,
    "num_hidden_layers": 49,
    "intermediate_size": 768,
    "prefix_dense_intermediate_size": 3072,
    "num_attention_heads": 32,
    "num_key_value_heads": 4,
    "vocab_size": 262144,
    "num_experts": 128,
    "num_experts_per_tok": 8,
    "num_shared_experts": 0,
    "first_k_dense_replace": 1,
    "prefix_dense_sliding_window_pattern": 1,
    "expert_selection_fn": "sigmoid",
    "norm_topk_prob": False,
    "sliding_window": 4096,
    "rope_theta": 50000,
    "max_position_embeddings": 500000,
    "use_parallel_block": True,
    "use_qk_norm": False,
    "rms_norm_eps": 1e-06,
    "layer_norm_eps": 1e-05,
    "layer_types": _NORTH_LAYER_TYPES,
}


# Llama 4 Scout and Maverick: their released config.json fields (sources in catalog/models.py), multimodal (model_type
# llama4, the text model in text_config), read back as the catalog entries: the text family and the class
# AutoModelForCausalLM builds (Llama4ForCausalLM), the one shared expert no field names, Maverick's dense layers
# (every other layer, intermediate_size_mlp wide) from moe_layers or from interleave_moe_layer_step alone.  The released
# attn_temperature_tuning is 4, which transformers refuses (test_a_llama4_config_transformers_would_refuse...): here
# it is true, as a user who followed ftguide's message has it.
_LLAMA4_SCOUT_TEXT = {
    "attention_bias": False,
    "attention_chunk_size": 8192,
    "attention_dropout": 0.0,
    "attn_scale": 0.1,
    "attn_temperature_tuning": True,
    "bos_token_id": 200000,
    "eos_token_id": [200001, 200007, 200008],
    "floor_scale": 8192,
    "for_llm_compressor": False,
    "head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 5120,
    "initializer_range": 0.02,
    "interleave_moe_layer_step": 1,
    "intermediate_size": 8192,
    "intermediate_size_mlp": 16384,
    "max_position_embeddings": 10485760,
    "model_type": "llama4_text",
    "moe_layers": list(range(48)),
    "no_rope_layers": [0 if (n + 1) % 4 == 0 else 1 for n in range(48)],
    "num_attention_heads": 40,
    "num_experts_per_tok": 1,
    "num_hidden_layers": 48,
    "num_key_value_heads": 8,
    "num_local_experts": 16,
    "output_router_logits": False,
    "pad_token_id": 200018,
    "rms_norm_eps": 1e-05,
    "rope_scaling": {
        "factor": 16.0,
        "high_freq_factor": 1.0,
        "low_freq_factor": 1.0,
        "original_max_position_embeddings": 8192,
        "rope_type": "llama3",
    },
    "rope_theta": 500000.0,
    "router_aux_loss_coef": 0.001,
    "router_jitter_noise": 0.0,
    "torch_dtype": "bfloat16",
    "use_cache": True,
    "use_qk_norm": True,
    "vocab_size": 202048,
}
_LLAMA4_VISION = {
    "hidden_size": 1408,
    "intermediate_size": 5632,
    "model_type": "llama4_vision_model",
    "num_attention_heads": 16,
    "num_hidden_layers": 34,
    "patch_size": 14,
    "vision_output_dim": 4096,
}
_LLAMA4_SCOUT_CONFIG = {
    "architectures": ["Llama4ForConditionalGeneration"],
    "boi_token_index": 200080,
    "eoi_token_index": 200081,
    "image_token_index": 200092,
    "model_type": "llama4",
    "text_config": _LLAMA4_SCOUT_TEXT,
    "tie_word_embeddings": False,
    "torch_dtype": "bfloat16",
    "vision_config": _LLAMA4_VISION,
}
_LLAMA4_MAVERICK_TEXT = {
    **_LLAMA4_SCOUT_TEXT,
    "interleave_moe_layer_step": 2,
    "max_position_embeddings": 1048576,
    "moe_layers": list(range(1, 48, 2)),
    "num_local_experts": 128,
    "rope_scaling": None,
    "use_qk_norm": False,
}
_LLAMA4_MAVERICK_CONFIG = {**_LLAMA4_SCOUT_CONFIG, "text_config": _LLAMA4_MAVERICK_TEXT}


# Cohere (Command R, R+, Aya) and Cohere2 (Command R7B, A): their config.json fields as released (sources in
# catalog/models.py), read back as the catalog entries. Command R's config names neither tie_word_embeddings nor
# head_dim (tied, and hidden / heads, as CohereConfig's defaults); R7B gives its interleave as sliding_window_pattern.
_COMMAND_R_CONFIG = {
    "architectures": ["CohereForCausalLM"],
    "model_type": "cohere",
    "attention_bias": False,
    "hidden_act": "silu",
    "hidden_size": 8192,
    "intermediate_size": 22528,
    "layer_norm_eps": 1e-05,
    "logit_scale": 0.0625,
    "max_position_embeddings": 8192,
    "num_attention_heads": 64,
    "num_hidden_layers": 40,
    "num_key_value_heads": 64,
    "rope_theta": 8000000.0,
    "use_qk_norm": False,
    "vocab_size": 256000,
}
_COMMAND_R_PLUS_CONFIG = {
    **_COMMAND_R_CONFIG,
    "hidden_size": 12288,
    "intermediate_size": 33792,
    "logit_scale": 0.8333333333333334,
    "num_attention_heads": 96,
    "num_hidden_layers": 64,
    "num_key_value_heads": 8,
    "rope_theta": 75000000.0,
    "use_qk_norm": True,
}
_COMMAND_R7B_CONFIG = {
    "architectures": ["Cohere2ForCausalLM"],
    "model_type": "cohere2",
    "attention_bias": False,
    "head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "layer_norm_eps": 1e-05,
    "logit_scale": 0.25,
    "max_position_embeddings": 132096,
    "num_attention_heads": 32,
    "num_hidden_layers": 32,
    "num_key_value_heads": 8,
    "rope_theta": 50000,
    "sliding_window": 4096,
    "sliding_window_pattern": 4,
    "order_of_interleaved_layers": "local_attn_first",
    "tie_word_embeddings": True,
    "vocab_size": 256000,
}
_R7B_LAYER_TYPES = (["sliding_attention"] * 3 + ["full_attention"]) * 8
_COMMAND_A_CONFIG = {
    **_COMMAND_R7B_CONFIG,
    "hidden_size": 12288,
    "intermediate_size": 36864,
    "max_position_embeddings": 131072,
    "num_attention_heads": 96,
    "num_hidden_layers": 64,
}

# Ministral 8B (2410) and Gemma 1: their released config.json fields (sources in catalog/models.py). Ministral's
# reads as Ministral once it has layer_types (transformers' AutoConfig does the same for a mistral config.json);
# its 2024 file, without them, stays Mistral's (below).
_MINISTRAL_8B_CONFIG = {
    "architectures": ["MistralForCausalLM"],
    "attention_dropout": 0.0,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "intermediate_size": 12288,
    "max_position_embeddings": 32768,
    "model_type": "mistral",
    "num_attention_heads": 32,
    "num_hidden_layers": 36,
    "num_key_value_heads": 8,
    "rms_norm_eps": 1e-05,
    "rope_theta": 100000000.0,
    "sliding_window": 32768,
    "tie_word_embeddings": False,
    "vocab_size": 131072,
}
_MINISTRAL_LAYER_TYPES = (["full_attention"] + ["sliding_attention"] * 3) * 9
_GEMMA_2B_CONFIG = {
    "architectures": ["GemmaForCausalLM"],
    "attention_bias": False,
    "bos_token_id": 2,
    "eos_token_id": 1,
    "head_dim": 256,
    "hidden_act": "gelu",
    "hidden_size": 2048,
    "intermediate_size": 16384,
    "max_position_embeddings": 8192,
    "model_type": "gemma",
    "num_attention_heads": 8,
    "num_hidden_layers": 18,
    "num_key_value_heads": 1,
    "pad_token_id": 0,
    "rms_norm_eps": 1e-06,
    "rope_theta": 10000.0,
    "vocab_size": 256000,
}
_GEMMA_7B_CONFIG = {
    **_GEMMA_2B_CONFIG,
    "hidden_size": 3072,
    "intermediate_size": 24576,
    "num_attention_heads": 16,
    "num_hidden_layers": 28,
    "num_key_value_heads": 16,
}
# VaultGemma 1B: its released config.json fields (sources in catalog/models.py): Gemma-2's config class with both
# soft-caps null and every layer full attention; its sliding_window (512) sizes nothing.
_VAULTGEMMA_1B_CONFIG = {
    "architectures": ["VaultGemmaForCausalLM"],
    "model_type": "vaultgemma",
    "attention_bias": False,
    "attn_logit_softcapping": None,
    "final_logit_softcapping": None,
    "head_dim": 256,
    "hidden_activation": "gelu_pytorch_tanh",
    "hidden_size": 1152,
    "intermediate_size": 6912,
    "layer_types": ["full_attention"] * 26,
    "max_position_embeddings": 1024,
    "num_attention_heads": 4,
    "num_hidden_layers": 26,
    "num_key_value_heads": 4,
    "query_pre_attn_scalar": 256,
    "sliding_window": 512,
    "vocab_size": 256000,
}

# InternLM3-8B-Instruct and GLM-4-9B (-hf): their released config.json fields (sources in catalog/models.py).
# InternLM3's names its remote-code class and gives its biases as qkv_bias / bias; it reads as the class
# transformers 5.23 builds (LlamaForCausalLM). GLM-4-9B's omits partial_rotary_factor (GlmConfig's default 0.5);
# the chat-hf file's fields with the base model's 8192 positions.
_INTERNLM3_8B_CONFIG = {
    "architectures": ["InternLM3ForCausalLM"],
    "auto_map": {
        "AutoConfig": "configuration_internlm3.InternLM3Config",
        "AutoModelForCausalLM": "modeling_internlm3.InternLM3ForCausalLM",
    },
    "bias": False,
    "head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "intermediate_size": 10240,
    "max_position_embeddings": 32768,
    "model_type": "internlm3",
    "num_attention_heads": 32,
    "num_hidden_layers": 48,
    "num_key_value_heads": 2,
    "qkv_bias": False,
    "rms_norm_eps": 1e-05,
    "rope_scaling": {"factor": 6.0, "rope_type": "dynamic"},
    "rope_theta": 50000000,
    "tie_word_embeddings": False,
    "vocab_size": 128512,
}
_GLM4_9B_HF_CONFIG = {
    "architectures": ["GlmForCausalLM"],
    "model_type": "glm",
    "attention_bias": True,
    "head_dim": 128,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "intermediate_size": 13696,
    "max_position_embeddings": 8192,
    "num_attention_heads": 32,
    "num_hidden_layers": 40,
    "num_key_value_heads": 2,
    "rms_norm_eps": 1.5625e-07,
    "rope_theta": 10000.0,
    "tie_word_embeddings": False,
    "vocab_size": 151552,
}
# OLMo-1B-hf and OLMo-7B-hf (v1, transformers-native): no norm fields (the LayerNorms have no weights), clip_qkv
# null; the 1B ties its embeddings. The 7B's fields are OlmoConfig's defaults (sources in catalog/models.py).
_OLMO_1B_HF_CONFIG = {
    "architectures": ["OlmoForCausalLM"],
    "attention_bias": False,
    "clip_qkv": None,
    "hidden_act": "silu",
    "hidden_size": 2048,
    "intermediate_size": 8192,
    "max_position_embeddings": 2048,
    "model_type": "olmo",
    "num_attention_heads": 16,
    "num_hidden_layers": 16,
    "num_key_value_heads": 16,
    "rope_theta": 10000.0,
    "tie_word_embeddings": True,
    "vocab_size": 50304,
}
_OLMO_7B_HF_CONFIG = {
    **_OLMO_1B_HF_CONFIG,
    "hidden_size": 4096,
    "intermediate_size": 11008,
    "num_attention_heads": 32,
    "num_hidden_layers": 32,
    "num_key_value_heads": 32,
    "tie_word_embeddings": False,
}


def test_ministral_2410_config_without_layer_types_reads_as_mistral(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps(_MINISTRAL_8B_CONFIG))
    read = resolve_model(str(tmp_path))
    assert (read.model_type, read.architecture) == ("mistral", "MistralForCausalLM")
    assert read.total_params() == resolve_model("ministral-8b").total_params()


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
        ("solar-open-100b", _SOLAR_OPEN_100B_CONFIG),
        ("solar-open-100b", {**_SOLAR_OPEN_100B_CONFIG, "first_k_dense_replace": None, "n_group": 1}),
        ("north-mini-code-1.0", _NORTH_MINI_CODE_CONFIG),
        # As transformers saves it: first_k_dense_replace read into mlp_layer_types, tie_word_embeddings written out.
        (
            "north-mini-code-1.0",
            {
                **{k: v for k, v in _NORTH_MINI_CODE_CONFIG.items() if k != "first_k_dense_replace"},
                "mlp_layer_types": ["dense"] + ["sparse"] * 48,
                "tie_word_embeddings": True,
            },
        ),
        ("llama-4-scout-17b-16e", _LLAMA4_SCOUT_CONFIG),
        ("llama-4-scout-17b-16e", {**_LLAMA4_SCOUT_CONFIG, "text_config": {**_LLAMA4_SCOUT_TEXT, "moe_layers": None}}),
        ("llama-4-maverick-17b-128e", _LLAMA4_MAVERICK_CONFIG),
        (
            "llama-4-maverick-17b-128e",
            {**_LLAMA4_MAVERICK_CONFIG, "text_config": {**_LLAMA4_MAVERICK_TEXT, "moe_layers": None}},
        ),
        ("command-r-v01", _COMMAND_R_CONFIG),
        ("command-r-plus", _COMMAND_R_PLUS_CONFIG),
        ("command-r7b-12-2024", _COMMAND_R7B_CONFIG),
        ("command-r7b-12-2024", {**_COMMAND_R7B_CONFIG, "layer_types": _R7B_LAYER_TYPES}),
        ("command-a-03-2025", _COMMAND_A_CONFIG),
        ("ministral-8b", {**_MINISTRAL_8B_CONFIG, "layer_types": _MINISTRAL_LAYER_TYPES}),
        (
            "ministral-8b",
            {
                **_MINISTRAL_8B_CONFIG,
                "architectures": ["MinistralForCausalLM"],
                "model_type": "ministral",
                "layer_types": _MINISTRAL_LAYER_TYPES,
            },
        ),
        ("gemma-2b", _GEMMA_2B_CONFIG),
        ("gemma-7b", _GEMMA_7B_CONFIG),
        ("codegemma-7b", {**_GEMMA_7B_CONFIG, "hidden_activation": "gelu_pytorch_tanh"}),
        ("vaultgemma-1b", _VAULTGEMMA_1B_CONFIG),
        # Without layer_types (VaultGemmaConfig then alternates sliding and full layers): the shapes are the same.
        ("vaultgemma-1b", {k: v for k, v in _VAULTGEMMA_1B_CONFIG.items() if k != "layer_types"}),
        ("internlm3-8b", _INTERNLM3_8B_CONFIG),
        ("glm-4-9b-hf", _GLM4_9B_HF_CONFIG),
        ("glm-4-9b-hf", {**_GLM4_9B_HF_CONFIG, "partial_rotary_factor": 0.5}),
        ("olmo-1b-hf", _OLMO_1B_HF_CONFIG),
        ("olmo-7b-hf", _OLMO_7B_HF_CONFIG),
        ("olmo-7b-hf", {**_OLMO_7B_HF_CONFIG, "num_key_value_heads": None}),
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
    if name == "solar-open-100b":
        assert (read.num_experts, read.shared_expert_intermediate_size, read.dense_layers) == (128, 1280, 0)
    if name == "vaultgemma-1b":
        assert (read.architecture, read.final_logit_softcapping, read.total_params()) == (
            "VaultGemmaForCausalLM",
            None,
            1_038_741_120,
        )
    if name == "north-mini-code-1.0":
        assert (read.num_experts, read.shared_expert_intermediate_size, read.dense_layers) == (128, 0, 1)
        assert (read.dense_intermediate_size, read.head_dim, read.tie_word_embeddings) == (3072, 128, True)
    if name == "llama-4-maverick-17b-128e":
        assert (read.architecture, read.shared_expert_intermediate_size, read.dense_layers) == (
            "Llama4ForCausalLM",
            8192,
            24,
        )
        assert read.dense_intermediate_size == 16384


@pytest.mark.parametrize("value", [4, 0, "yes"])
def test_a_llama4_config_transformers_would_refuse_is_refused_in_one_line(tmp_path: Path, value: object) -> None:
    """Meta's Llama 4 Scout config.json sets attn_temperature_tuning to 4; transformers' strict Llama4TextConfig (5.16.1
    and 5.23) takes only a bool there and refuses the file, so every rendered target would die at load."""
    text = {
        "model_type": "llama4_text", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "head_dim": 16, "intermediate_size": 32, "intermediate_size_mlp": 128,
        "vocab_size": 1000, "num_local_experts": 4, "num_experts_per_tok": 1, "attn_temperature_tuning": value,
    }  # fmt: skip
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama4", "text_config": text}))
    with pytest.raises(InputError, match=r"sets attn_temperature_tuning to .*refuses to load the file: set it to"):
        resolve_model(str(tmp_path))
    text["attn_temperature_tuning"] = True
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "llama4", "text_config": text}))
    assert resolve_model(str(tmp_path)).model_type == "llama4_text"
