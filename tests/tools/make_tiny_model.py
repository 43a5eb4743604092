#!/usr/bin/env python3
"""Write a tiny random-weight causal LM plus an offline tokenizer, for CPU smoke tests.

Run with the ``train`` tool env's python (it needs torch, transformers and tokenizers)::

    .toolenvs/train/bin/python tests/tools/make_tiny_model.py OUT_DIR [--family llama] [--seed 0]

The model: the family's real config class and architecture (``--family`` is a ``model_type``; ``FAMILIES``
lists them, one per record of ``src/ftguide/catalog/families.py``) at toy sizes: hidden 64, 2 layers, 4
attention heads, 2 KV heads, intermediate 128; MoE families 4 experts, 2 routed per token, expert width 32;
vocab = the tokenizer's (about 800 tokens), fp32 weights, saved with ``save_pretrained`` (safetensors). What
makes a family itself is kept (see ``build_config``): soft-capping, sliding and full layers, biases, sinks,
multipliers, routers and fused experts, a tiny vision tower for multimodal Gemma 3.

The tokenizer: a byte-level BPE built in-process with the ``tokenizers`` library, its merges trained on the
shared word list of ``words.py`` (every word, bare and with a leading space, is one token; digits are split
one by one, as Qwen does), with the specials ``<unk> <pad> <s> </s>`` as ids 0-3, wrapped in
``PreTrainedTokenizerFast`` (pad/bos/eos/unk set; no special tokens are added automatically). Byte-level BPE
rather than a word-level vocabulary because transformers 5 loads a ``qwen2`` checkpoint's tokenizer as
``Qwen2Tokenizer`` whatever ``tokenizer_config.json`` says, and that class rebuilds a byte-level BPE (Qwen's
split regex + ByteLevel) from the saved vocab and merges; this tokenizer uses exactly that pipeline, so it
loads identically for every family. Its chat template renders ``<s>role : content`` lines, ends every
assistant turn with ``</s>`` and wraps assistant content in ``{% generation %}`` markers, so TRL's
``assistant_only_loss=True`` can build an assistant mask.

Nothing touches the network (HF_HUB_OFFLINE is set before transformers is imported) and the output is
deterministic for a given family and seed. Prints a JSON summary on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from words import BOS, EOS, PAD, SPECIAL_TOKENS, UNK, WORDS

HIDDEN = 64
LAYERS = 2
HEADS = 4
KV_HEADS = 2
INTERMEDIATE = 128
MAX_POSITIONS = 512

# Assistant content (and its closing eos) sits inside {% generation %} ... {% endgeneration %}: that is what
# `apply_chat_template(..., return_assistant_tokens_mask=True)` (TRL assistant_only_loss) looks for.
CHAT_TEMPLATE = (
    "{{- bos_token -}}"
    "{%- for message in messages -%}"
    "{%- if message['role'] == 'assistant' -%}"
    "{{- 'assistant : ' -}}"
    "{%- generation -%}{{- message['content'] + eos_token -}}{%- endgeneration -%}"
    "{{- '\\n' -}}"
    "{%- else -%}"
    "{{- message['role'] + ' : ' + message['content'] + '\\n' -}}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{- 'assistant : ' -}}{%- endif -%}"
)

# One tiny config per model_type family, keyed by model_type (the builders are in build_config below).
FAMILIES = (
    "llama",
    "mistral",
    "ministral",
    "ministral3",
    "qwen2",
    "qwen3",
    "gemma",
    "gemma2",
    "vaultgemma",
    "gemma3_text",
    "gemma3",
    "phi3",
    "mixtral",
    "qwen3_moe",
    "gpt_oss",
    "smollm3",
    "olmo2",
    "olmo3",
    "granite",
    "llama4_text",
    "qwen3_next",
    "qwen3_5_text",
    "qwen3_5_moe_text",
    "granitemoehybrid",
    "gpt_neox",
    "falcon",
    "glm4",
    "ernie4_5",
    "olmoe",
    "phimoe",
    "granitemoe",
    "exaone4",
    "apertus",
    "nemotron",
    "arcee",
    "seed_oss",
    "hunyuan_v1_dense",
    "helium",
    "stablelm",
    "cohere",
    "cohere2",
    "internlm3",
    "glm",
    "olmo",
    "qwen2_moe",
    "hunyuan_v1_moe",
    "glm4_moe",
    "deepseek_v3",
    "glm4_moe_lite",
    "mistral4",
    "ernie4_5_moe",
    "dots1",
    "cohere2_moe",
    "exaone_moe",
    "afmoe",
    "flex_olmo",
    "minimax_m2",
    "solar_open",
)
EXPERTS = 4  # MoE families: 4 experts, 2 routed per token
TOP_K = 2
EXPERT_INTERMEDIATE = 32

# Qwen2's pre-tokenizer split (transformers/models/qwen2/tokenization_qwen2.py PRETOKENIZE_REGEX).
QWEN_SPLIT_REGEX = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
    r"""|\s*[\r\n]+|\s+(?!\S)|\s+"""
)
BPE_VOCAB_LIMIT = 4096  # upper bound only: training stops once every word is a single token (about 800)


def build_tokenizer():
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(
        models.BPE(
            unk_token=None,
            continuing_subword_prefix="",
            end_of_word_suffix="",
            fuse_unk=False,
            byte_fallback=False,
        )
    )
    core.normalizer = normalizers.NFC()
    core.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(QWEN_SPLIT_REGEX), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=BPE_VOCAB_LIMIT,
        min_frequency=1,
        special_tokens=SPECIAL_TOKENS,  # ids 0..3, in this order
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    # Every word bare and after a space, plus the line ends the chat template writes.
    corpus = list(WORDS) + [" " + w for w in WORDS] + [" :", " .\n", " ?\n", "\n"]
    core.train_from_iterator(corpus, trainer)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token=UNK,
        pad_token=PAD,
        bos_token=BOS,
        eos_token=EOS,
        model_max_length=MAX_POSITIONS,
        padding_side="right",
    )
    tok.chat_template = CHAT_TEMPLATE
    return tok


def build_config(family: str, vocab_size: int, ids: dict[str, int]):
    """The tiny config of ``family``: its real config class, the real structure at toy sizes.

    Kept as in the released configs: Gemma-2's logit soft-capping (30 / 50) and alternating sliding layers,
    Gemma-3's sliding + full layers, gpt-oss's attention biases, sinks and YaRN RoPE, Granite's multipliers
    (granite-3.x-8b values), SmolLM3's NoPE layers, every MoE router and fused expert tensor (4 experts, top-2).
    """
    import transformers

    common = dict(
        vocab_size=vocab_size,
        hidden_size=HIDDEN,
        intermediate_size=INTERMEDIATE,
        num_hidden_layers=LAYERS,
        num_attention_heads=HEADS,
        num_key_value_heads=KV_HEADS,
        max_position_embeddings=MAX_POSITIONS,
        pad_token_id=ids["pad"],
        bos_token_id=ids["bos"],
        eos_token_id=ids["eos"],
        dtype="float32",
    )
    head_dim = HIDDEN // HEADS
    moe = dict(num_experts_per_tok=TOP_K)
    if family == "llama":
        return transformers.LlamaConfig(**common, head_dim=head_dim, tie_word_embeddings=False)
    if family == "qwen2":
        return transformers.Qwen2Config(**common, tie_word_embeddings=True)
    if family == "mistral":
        return transformers.MistralConfig(**common, head_dim=head_dim, sliding_window=None, tie_word_embeddings=False)
    if family == "ministral":
        # Ministral 8B: Mistral's block without biases, interleaved full and sliding-window layers (layer_types;
        # 1 full : 3 sliding as released, one of each here), untied head.
        return transformers.MinistralConfig(
            **common,
            head_dim=head_dim,
            sliding_window=16,
            layer_types=["full_attention", "sliding_attention"],
            tie_word_embeddings=False,
        )
    if family == "ministral3":
        # Ministral 3's text model (the text_config of the released Mistral3ForConditionalGeneration): Mistral's
        # block, YaRN RoPE and Llama 4's query temperature (llama_4_scaling_beta over original_max_position_embeddings,
        # a 16th of the positions as released, 32 here, so the 64-token runs cross it), no sliding window, untied
        # head (the 8B and 14B).
        return transformers.Ministral3Config(
            **common,
            head_dim=head_dim,
            sliding_window=None,
            rope_parameters={
                "rope_type": "yarn",
                "rope_theta": 1000000.0,
                "factor": 16.0,
                "original_max_position_embeddings": MAX_POSITIONS // 16,
                "beta_fast": 32.0,
                "beta_slow": 1.0,
                "mscale": 1.0,
                "mscale_all_dim": 1.0,
                "llama_4_scaling_beta": 0.1,
            },
            tie_word_embeddings=False,
        )
    if family == "gemma":
        # Gemma 1: (1 + weight) RMSNorm, GeGLU (tanh GELU), embeddings scaled by sqrt(hidden), tied head.
        return transformers.GemmaConfig(
            **common, head_dim=head_dim, hidden_act="gelu_pytorch_tanh", tie_word_embeddings=True
        )
    if family == "gemma2":
        return transformers.Gemma2Config(
            **common,
            head_dim=head_dim,
            query_pre_attn_scalar=head_dim,
            sliding_window=MAX_POSITIONS,
            tie_word_embeddings=True,
        )
    if family == "vaultgemma":
        # VaultGemma: Gemma-2's block without the post-attention and post-MLP norms (two RMSNorms a layer), GeGLU,
        # tied head; every layer full attention and neither logit soft-cap set, as google/vaultgemma-1b releases it.
        return transformers.VaultGemmaConfig(
            **common,
            head_dim=head_dim,
            query_pre_attn_scalar=head_dim,
            sliding_window=16,
            layer_types=["full_attention"] * LAYERS,
            attn_logit_softcapping=None,
            final_logit_softcapping=None,
            tie_word_embeddings=True,
        )
    if family == "phi3":
        return transformers.Phi3Config(
            **common, original_max_position_embeddings=MAX_POSITIONS, sliding_window=None, tie_word_embeddings=False
        )
    if family == "qwen3":
        return transformers.Qwen3Config(**common, head_dim=head_dim, tie_word_embeddings=True)
    if family in ("gemma3_text", "gemma3"):
        text = transformers.Gemma3TextConfig(
            **common,
            head_dim=head_dim,
            query_pre_attn_scalar=head_dim,
            sliding_window=16,
            layer_types=["sliding_attention", "full_attention"],
            tie_word_embeddings=True,
        )
        if family == "gemma3_text":
            return text
        # The multimodal checkpoint (gemma-3-4b and larger): a tiny SigLIP tower, 4 image tokens per image.
        vision = transformers.SiglipVisionConfig(
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            image_size=32,
            patch_size=16,
        )
        return transformers.Gemma3Config(
            text_config=text.to_dict(),
            vision_config=vision.to_dict(),
            mm_tokens_per_image=4,
            image_token_index=ids["unk"],
            boi_token_index=ids["unk"],
            eoi_token_index=ids["unk"],
            pad_token_id=ids["pad"],
            bos_token_id=ids["bos"],
            eos_token_id=ids["eos"],
            tie_word_embeddings=True,
            dtype="float32",
        )
    if family == "mixtral":
        return transformers.MixtralConfig(
            **common,
            **moe,
            head_dim=head_dim,
            num_local_experts=EXPERTS,
            sliding_window=None,
            tie_word_embeddings=False,
        )
    if family == "qwen3_moe":
        return transformers.Qwen3MoeConfig(
            **common,
            **moe,
            head_dim=head_dim,
            num_experts=EXPERTS,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            decoder_sparse_step=1,
            mlp_only_layers=[],
            tie_word_embeddings=False,
        )
    if family == "gpt_oss":
        # max_position_embeddings as released, so the YaRN factor 32 over 4096 positions is consistent.
        return transformers.GptOssConfig(
            **{**common, "max_position_embeddings": 131072},
            **moe,
            head_dim=head_dim,
            num_local_experts=EXPERTS,
            sliding_window=16,
            layer_types=["sliding_attention", "full_attention"],
            attention_bias=True,
            tie_word_embeddings=False,
        )
    if family == "smollm3":
        return transformers.SmolLM3Config(**common, no_rope_layer_interval=2, tie_word_embeddings=True)
    if family == "olmo2":
        return transformers.Olmo2Config(**common, tie_word_embeddings=False)
    if family == "olmo3":
        return transformers.Olmo3Config(
            **common, sliding_window=16, layer_types=["sliding_attention", "full_attention"], tie_word_embeddings=False
        )
    if family == "granite":
        return transformers.GraniteConfig(
            **common,
            embedding_multiplier=12.0,
            attention_multiplier=0.0078125,
            residual_multiplier=0.22,
            logits_scaling=16.0,
            tie_word_embeddings=True,
        )
    if family == "llama4_text":
        # Llama 4's text decoder (what AutoModelForCausalLM builds from the released multimodal config's
        # text_config): Maverick's layout, a dense layer (intermediate_size_mlp) then an MoE layer (fused experts of
        # intermediate_size plus one shared expert of that width, an nn.Linear router), top-1 routing as released,
        # a RoPE layer (chunked attention, weightless L2 q/k norms) and a NoPE layer (temperature tuning).
        return transformers.Llama4TextConfig(
            **common,
            num_experts_per_tok=1,
            head_dim=head_dim,
            num_local_experts=EXPERTS,
            intermediate_size_mlp=INTERMEDIATE,
            interleave_moe_layer_step=2,
            no_rope_layers=[1, 0],
            attention_chunk_size=16,
            tie_word_embeddings=False,
        )
    if family == "qwen3_next":
        # Qwen3-Next: a Gated DeltaNet (linear attention) layer, its input projections fused (in_proj_qkvz,
        # in_proj_ba), then a gated full-attention one; every layer MoE (fused experts) with a gated shared expert.
        return transformers.Qwen3NextConfig(
            **common,
            **moe,
            head_dim=head_dim,
            num_experts=EXPERTS,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            shared_expert_intermediate_size=EXPERT_INTERMEDIATE,
            linear_num_key_heads=2,
            linear_num_value_heads=4,
            linear_key_head_dim=16,
            linear_value_head_dim=16,
            layer_types=["linear_attention", "full_attention"],
            tie_word_embeddings=False,
        )
    if family in ("qwen3_5_text", "qwen3_5_moe_text"):
        # Qwen3.5's text model (the text_config of the released Qwen3_5(Moe)ForConditionalGeneration): Qwen3-Next's
        # Gated DeltaNet layers, their input projections split (in_proj_qkv, in_proj_z, in_proj_b, in_proj_a), with
        # one gated full-attention layer; the MoE one with fused experts plus a gated shared expert.
        linear = dict(
            head_dim=head_dim,
            linear_num_key_heads=2,
            linear_num_value_heads=4,
            linear_key_head_dim=16,
            linear_value_head_dim=16,
            layer_types=["linear_attention", "full_attention"],
            tie_word_embeddings=False,
        )
        if family == "qwen3_5_text":
            return transformers.Qwen3_5TextConfig(**common, **linear)
        return transformers.Qwen3_5MoeTextConfig(
            **common,
            **moe,
            **linear,
            num_experts=EXPERTS,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            shared_expert_intermediate_size=EXPERT_INTERMEDIATE,
        )
    if family == "granitemoehybrid":
        # Granite 4.0-H: Mamba-2 layers with attention layers, MoE plus a shared MLP.
        return transformers.GraniteMoeHybridConfig(
            **common,
            **moe,
            num_local_experts=EXPERTS,
            shared_intermediate_size=INTERMEDIATE,
            layer_types=["mamba", "attention"],
            mamba_n_heads=4,
            mamba_d_head=32,
            mamba_d_state=16,
            mamba_n_groups=1,
            mamba_expand=2,
            tie_word_embeddings=True,
        )
    if family == "gpt_neox":
        return transformers.GPTNeoXConfig(
            **{k: v for k, v in common.items() if k != "num_key_value_heads"}, tie_word_embeddings=False
        )
    if family == "falcon":
        return transformers.FalconConfig(
            vocab_size=vocab_size,
            hidden_size=HIDDEN,
            num_hidden_layers=LAYERS,
            num_attention_heads=HEADS,
            num_kv_heads=KV_HEADS,
            new_decoder_architecture=True,
            max_position_embeddings=MAX_POSITIONS,
            pad_token_id=ids["pad"],
            bos_token_id=ids["bos"],
            eos_token_id=ids["eos"],
            dtype="float32",
            tie_word_embeddings=True,
        )
    if family == "glm4":
        # GLM-4-0414: half the head dimension rotated, q/k/v biases, fused gate_up_proj, four norms a layer.
        return transformers.Glm4Config(
            **common, head_dim=head_dim, partial_rotary_factor=0.5, attention_bias=True, tie_word_embeddings=False
        )
    if family == "ernie4_5":
        # ERNIE-4.5-0.3B: Llama-shaped, no biases, tied embeddings.
        return transformers.Ernie4_5Config(**common, head_dim=head_dim, use_bias=False, tie_word_embeddings=True)
    if family == "olmoe":
        # OLMoE: every layer sparse (fused experts, top-k router), QK-norm over the whole projection.
        return transformers.OlmoeConfig(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE},
            **moe,
            num_experts=EXPERTS,
            norm_topk_prob=False,
            tie_word_embeddings=False,
        )
    if family == "phimoe":
        # Phi-3.5-MoE: LayerNorm (with biases) instead of RMSNorm, attention and lm_head biases, an nn.Linear
        # router with sparsemixer routing, fused experts; as released, LongRoPE-free at this toy length.
        return transformers.PhimoeConfig(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE},
            **moe,
            num_local_experts=EXPERTS,
            attention_bias=True,
            lm_head_bias=True,
            sliding_window=None,
            tie_word_embeddings=False,
        )
    if family == "granitemoe":
        # Granite 3.x MoE: every layer sparse (fused experts, bare-parameter router, no shared expert), the
        # muP multipliers of granite-3.1-3b-a800m.
        return transformers.GraniteMoeConfig(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE},
            **moe,
            num_local_experts=EXPERTS,
            embedding_multiplier=12.0,
            attention_multiplier=0.015625,
            residual_multiplier=0.22,
            logits_scaling=6.0,
            tie_word_embeddings=True,
        )
    if family == "exaone4":
        # EXAONE 4.0: post-norms only (after attention and after the MLP), QK-norm per head, a sliding layer
        # and a global one (the 32B's local/global mix; global layers skip RoPE then), tied embeddings.
        return transformers.Exaone4Config(
            **common,
            head_dim=head_dim,
            sliding_window=16,
            layer_types=["sliding_attention", "full_attention"],
            tie_word_embeddings=True,
        )
    if family == "apertus":
        # Apertus: per-head QK-norm and an ungated xIELU MLP (up_proj, down_proj; no gate_proj), untied head, as
        # swiss-ai/Apertus-8B-2509 releases it.
        rope = {"rope_type": "llama3", "rope_theta": 1.2e7, "factor": 8.0, "low_freq_factor": 1.0}
        rope["high_freq_factor"] = 4.0
        return transformers.ApertusConfig(
            **common,
            head_dim=head_dim,
            hidden_act="xielu",
            rope_parameters={**rope, "original_max_position_embeddings": MAX_POSITIONS // 4},
            tie_word_embeddings=False,
        )
    if family == "nemotron":
        # Nemotron-4 / Minitron: an ungated squared-ReLU MLP (up_proj, down_proj), LayerNorm1P, RoPE on half of each
        # head, untied head, as nvidia/Minitron-4B-Base releases it.
        return transformers.NemotronConfig(
            **common, head_dim=head_dim, hidden_act="relu2", partial_rotary_factor=0.5, tie_word_embeddings=False
        )
    if family == "arcee":
        # Arcee AFM: Llama's block with an ungated squared-ReLU MLP (up_proj, down_proj), untied head, as
        # arcee-ai/AFM-4.5B releases it.
        return transformers.ArceeConfig(**common, head_dim=head_dim, hidden_act="relu2", tie_word_embeddings=False)
    if family == "seed_oss":
        # Seed-OSS: q/k/v biases but none on o_proj, and the released dropouts (attention 0.1, residual 0.1 after
        # the attention and after the MLP), which stay on in training.
        return transformers.SeedOssConfig(
            **common,
            head_dim=head_dim,
            attention_bias=True,
            attention_out_bias=False,
            attention_dropout=0.1,
            residual_dropout=0.1,
            tie_word_embeddings=False,
        )
    if family == "hunyuan_v1_dense":
        # Hunyuan dense: per-head QK-norm applied after RoPE, NTK-alpha RoPE (rope_type dynamic with alpha, as
        # released), tied embeddings.
        return transformers.HunYuanDenseV1Config(
            **common,
            head_dim=head_dim,
            rope_parameters={"rope_type": "dynamic", "rope_theta": 10000.0, "alpha": 1000.0, "factor": 1.0},
            tie_word_embeddings=True,
        )
    if family == "helium":
        # Helium: a Llama-shaped pre-norm block (RMSNorm eps 1e-8, its weight applied in fp32), interleaved RoPE,
        # untied head.
        return transformers.HeliumConfig(**common, head_dim=head_dim, tie_word_embeddings=False)
    if family == "stablelm":
        # StableLM 2: pre-LayerNorm (with bias) before attention and MLP (use_parallel_residual false), q/k/v
        # biases and none on o_proj, RoPE on a quarter of each head, untied head.
        return transformers.StableLmConfig(
            **common,
            use_qkv_bias=True,
            use_parallel_residual=False,
            qk_layernorm=False,
            rope_parameters={"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25},
            tie_word_embeddings=False,
        )
    if family == "cohere":
        # Command R / Aya: the parallel block (one bias-free CohereLayerNorm feeding attention and MLP, both added
        # to the residual), no biases, interleaved RoPE, logit_scale 0.0625 (Command R's), tied embeddings; with
        # Command R+'s per-head q/k CohereLayerNorms (use_qk_norm) so that path is built too.
        return transformers.CohereConfig(
            **common,
            logit_scale=0.0625,
            use_qk_norm=True,
            attention_bias=False,
            tie_word_embeddings=True,
        )
    if family == "cohere2":
        # Command R7B / A: Cohere's parallel block with a sliding layer (RoPE) and a global one without positional
        # encoding (the released 3 : 1 interleave cut to 2 layers), logit_scale 0.25 (R7B's), tied embeddings.
        return transformers.Cohere2Config(
            **common,
            logit_scale=0.25,
            sliding_window=16,
            layer_types=["sliding_attention", "full_attention"],
            attention_bias=False,
            tie_word_embeddings=True,
        )
    if family == "internlm3":
        # InternLM3: transformers 5.23 builds it as LlamaForCausalLM (its config class only renames qkv_bias and bias
        # to attention_bias and mlp_bias, which must agree); no biases, head_dim 128 given, dynamic-NTK RoPE (factor
        # 6, theta 5e7) and an untied head as released.
        return transformers.InternLM3Config(
            **common,
            head_dim=head_dim,
            qkv_bias=False,
            bias=False,
            rope_parameters={"rope_type": "dynamic", "rope_theta": 5e7, "factor": 6.0},
            tie_word_embeddings=False,
        )
    if family == "glm":
        # GLM-4-9B (transformers-native, the -hf checkpoints): two RMSNorms a layer (GLM-4-0414 has four), q/k/v
        # biases and none on o_proj, one fused gate_up_proj Linear, RoPE on half of each head, untied head.
        return transformers.GlmConfig(
            **common, head_dim=head_dim, partial_rotary_factor=0.5, attention_bias=True, tie_word_embeddings=False
        )
    if family == "olmo":
        # OLMo (v1, the -hf checkpoints): LayerNorms with neither weight nor bias (fp32, eps 1e-5), SwiGLU, no biases,
        # multi-head attention (2 KV heads here, as the class allows; the released models have as many as query
        # heads), q/k/v clamped in place to +-clip_qkv (set here so the clamp runs; null in OLMo-1B-hf and 7B-hf),
        # untied head (the 7B's; the 1B ties).
        return transformers.OlmoConfig(**common, clip_qkv=8.0, attention_bias=False, tie_word_embeddings=False)
    if family == "qwen2_moe":
        # Qwen2-MoE (Qwen1.5-MoE, Qwen2-57B-A14B): every layer sparse as released (decoder_sparse_step 1, no
        # mlp_only_layers), fused routed experts under a bare-parameter softmax router, plus a shared expert MLP
        # (nn.Linear, twice the routed width here; 4x in Qwen1.5-MoE) scaled by a sigmoid gate nn.Linear(h, 1);
        # q/k/v biases (qkv_bias), untied head.
        return transformers.Qwen2MoeConfig(
            **common,
            **moe,
            num_experts=EXPERTS,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            shared_expert_intermediate_size=2 * EXPERT_INTERMEDIATE,
            decoder_sparse_step=1,
            mlp_only_layers=[],
            norm_topk_prob=False,
            tie_word_embeddings=False,
        )
    if family == "hunyuan_v1_moe":
        # Hunyuan-MoE (Hunyuan-A13B): every layer sparse, fused routed experts under an nn.Linear softmax router
        # (mlp.gate.wg), one shared expert MLP (shared_mlp) added ungated; transformers sizes both the routed and
        # the shared experts from intermediate_size. Per-head QK-norm after RoPE, NTK-alpha RoPE, tied embeddings;
        # the per-layer lists (moe_topk, moe_intermediate_size, num_shared_expert) as the released config has them.
        return transformers.HunYuanMoEV1Config(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE},
            head_dim=head_dim,
            num_experts=EXPERTS,
            moe_topk=[TOP_K] * LAYERS,
            moe_intermediate_size=[EXPERT_INTERMEDIATE] * LAYERS,
            num_shared_expert=[1] * LAYERS,
            use_mixed_mlp_moe=True,
            rope_parameters={"rope_type": "dynamic", "rope_theta": 10000.0, "alpha": 1000.0, "factor": 1.0},
            tie_word_embeddings=True,
        )
    if family == "glm4_moe":
        # GLM-4.5: a pre-norm block; the first first_k_dense_replace layers have a dense MLP (here 1 of 2), the
        # rest fused routed experts plus one shared expert (nn.Linear gate/up/down_proj) added unscaled, a
        # bare-parameter sigmoid router with a score-correction bias buffer and routed_scaling_factor (2.5 in
        # GLM-4.5), q/k/v biases and none on o_proj, per-head QK-norm (use_qk_norm, GLM-4.5 only: Air has
        # none), RoPE on half of each head.
        return transformers.Glm4MoeConfig(
            **common,
            **moe,
            head_dim=head_dim,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            n_routed_experts=EXPERTS,
            n_shared_experts=1,
            first_k_dense_replace=1,
            routed_scaling_factor=2.5,
            norm_topk_prob=True,
            use_qk_norm=True,
            attention_bias=True,
            rope_parameters={"rope_type": "default", "rope_theta": 1e6, "partial_rotary_factor": 0.5},
            tie_word_embeddings=False,
        )
    if family in ("deepseek_v3", "glm4_moe_lite"):
        # Multi-head latent attention: keys and values through a kv_lora_rank latent (kv_a_proj_with_mqa, its
        # RMSNorm, kv_b_proj up to every head) beside one shared rotary key; query and key heads qk_nope + qk_rope
        # wide, values v_head_dim; a query latent (q_a_proj, q_a_layernorm, q_b_proj), as DeepSeek-V3, Kimi K2 and
        # GLM-4.7-Flash release it (Moonlight has none: one q_proj).  The first layer dense, the second fused routed
        # experts under a bare-parameter sigmoid router with a score-correction bias (one group), plus one shared
        # expert (nn.Linear gate/up/down_proj) added unscaled; untied head.
        config_class = transformers.DeepseekV3Config if family == "deepseek_v3" else transformers.Glm4MoeLiteConfig
        return config_class(
            **{**common, "num_key_value_heads": HEADS},
            **moe,
            q_lora_rank=16,
            kv_lora_rank=16,
            qk_nope_head_dim=8,
            qk_rope_head_dim=8,
            v_head_dim=12,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            n_routed_experts=EXPERTS,
            n_shared_experts=1,
            n_group=1,
            topk_group=1,
            first_k_dense_replace=1,
            routed_scaling_factor=2.5,
            norm_topk_prob=True,
            tie_word_embeddings=False,
        )
    if family == "mistral4":
        # Mistral Small 4's text model (the text_config of the released Mistral3ForConditionalGeneration):
        # DeepSeek-V3's latent attention (query latent, key/value latent with its RMSNorm and a shared rotary key,
        # interleaved rotary weights) with YaRN and Llama 4's query temperature (llama_4_scaling_beta over
        # original_max_position_embeddings, 32 here so the 64-token runs cross it); every layer sparse as released
        # (first_k_dense_replace 0): fused routed experts under a bare-parameter softmax router (no score-correction
        # bias), one shared expert (nn.Linear gate/up/down_proj); untied head.
        return transformers.Mistral4Config(
            **{**common, "num_key_value_heads": HEADS},
            **moe,
            q_lora_rank=16,
            kv_lora_rank=16,
            qk_nope_head_dim=8,
            qk_rope_head_dim=8,
            v_head_dim=12,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            n_routed_experts=EXPERTS,
            n_shared_experts=1,
            n_group=1,
            topk_group=1,
            first_k_dense_replace=0,
            routed_scaling_factor=1.0,
            norm_topk_prob=True,
            rope_parameters={
                "rope_type": "yarn",
                "rope_theta": 10000.0,
                "factor": 16.0,
                "original_max_position_embeddings": MAX_POSITIONS // 16,
                "max_position_embeddings": MAX_POSITIONS,
                "beta_fast": 32.0,
                "beta_slow": 1.0,
                "mscale": 1.0,
                "mscale_all_dim": 1.0,
                "llama_4_scaling_beta": 0.1,
            },
            tie_word_embeddings=False,
        )
    if family == "ernie4_5_moe":
        # ERNIE-4.5-MoE: a pre-norm block; layer 0 dense (moe_layer_start_index 1), the others fused routed
        # experts plus two shared experts of the routed width (one nn.Linear MLP, added unscaled), a
        # bare-parameter fp32 softmax router whose top-k choice adds a correction bias (moe_statics); no biases,
        # no QK-norm, interleaved RoPE, tied embeddings as the 21B-A3B.
        return transformers.Ernie4_5_MoeConfig(
            **common,
            **moe,
            moe_num_experts=EXPERTS,
            moe_num_shared_experts=2,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            moe_layer_start_index=1,
            moe_layer_end_index=-1,
            moe_layer_interval=1,
            use_bias=False,
            tie_word_embeddings=True,
        )
    if family == "dots1":
        # dots.llm1: a pre-norm block without biases; layer 0 dense (first_k_dense_replace 1), the other fused
        # routed experts plus two shared experts of the routed width (one nn.Linear MLP, added unscaled), a
        # bare-parameter sigmoid router with a score-correction bias buffer and routed_scaling_factor 2.5 as
        # released, per-head QK-norm, full RoPE, no sliding layers, untied head.
        return transformers.Dots1Config(
            **common,
            **moe,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            n_routed_experts=EXPERTS,
            n_shared_experts=2,
            first_k_dense_replace=1,
            routed_scaling_factor=2.5,
            norm_topk_prob=True,
            attention_bias=False,
            sliding_window=None,
            tie_word_embeddings=False,
        )
    if family == "cohere2_moe":
        # Cohere2-MoE (North Mini Code): Cohere's parallel block (one norm a layer, an RMSNorm since rms_norm_eps is
        # set) with layer 0 dense (first_k_dense_replace 1, its own prefix_dense_intermediate_size) and fused
        # routed experts after it, under a bare-parameter router scored by sigmoid without renormalising, no
        # shared expert (num_shared_experts 0), as released; layer 0 global with RoPE (the dense prefix keeps it),
        # layer 1 sliding; head_dim given wider than hidden / heads (128 against 2048 / 32 as released), tied head.
        return transformers.Cohere2MoeConfig(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE},
            **moe,
            head_dim=2 * head_dim,
            num_experts=EXPERTS,
            num_shared_experts=0,
            first_k_dense_replace=1,
            prefix_dense_intermediate_size=INTERMEDIATE,
            expert_selection_fn="sigmoid",
            norm_topk_prob=False,
            rms_norm_eps=1e-6,
            sliding_window=16,
            layer_types=["full_attention", "sliding_attention"],
            attention_bias=False,
            tie_word_embeddings=True,
        )
    if family == "exaone_moe":
        # K-EXAONE: layer 0 dense (first_k_dense_replace 1), fused routed experts after it under a sigmoid router
        # with a score-correction bias, one shared expert of the routed width, per-head QK-norm, layer 0 sliding
        # and layer 1 global (sliding_window_pattern 2 here; LLLG as released), untied head.
        return transformers.ExaoneMoeConfig(
            **common,
            **moe,
            head_dim=head_dim,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            num_experts=EXPERTS,
            num_shared_experts=1,
            first_k_dense_replace=1,
            sliding_window=16,
            sliding_window_pattern=2,
            tie_word_embeddings=False,
        )
    if family == "afmoe":
        # AFMoE (Arcee Trinity): layer 0 dense (num_dense_layers), fused routed experts after it under a sigmoid router
        # with a frozen expert bias, one shared expert of the routed width; attention with per-head QK-norm and a
        # sigmoid output gate (its own gate_proj), a norm before and after both attention and MLP, sliding layers
        # with RoPE and global ones without (global_attn_every_n_layers 2 here, 4 as released), muP scaling as
        # released, untied head.
        return transformers.AfmoeConfig(
            **common,
            **moe,
            head_dim=head_dim,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            num_experts=EXPERTS,
            num_shared_experts=1,
            num_dense_layers=1,
            global_attn_every_n_layers=2,
            sliding_window=16,
            mup_enabled=True,
            route_scale=2.826,
            tie_word_embeddings=False,
        )
    if family == "solar_open":
        # Solar Open: a pre-norm block without biases, every layer sparse (transformers builds no dense layer):
        # fused routed experts plus one shared expert of the routed width (one nn.Linear MLP, added unscaled), a
        # bare-parameter sigmoid router with a score-correction bias buffer (n_group 1, norm_topk_prob,
        # routed_scaling_factor 1.0 as released), no QK-norm, full RoPE, GQA, untied head.
        return transformers.SolarOpenConfig(
            **common,
            **moe,
            head_dim=head_dim,
            moe_intermediate_size=EXPERT_INTERMEDIATE,
            n_routed_experts=EXPERTS,
            n_shared_experts=1,
            n_group=1,
            topk_group=1,
            routed_scaling_factor=1.0,
            norm_topk_prob=True,
            attention_bias=False,
            tie_word_embeddings=False,
        )
    if family == "flex_olmo":
        # FlexOlmo: OLMoE's sparse block (fused experts, bare-parameter top-k router, no shared expert) under
        # OLMo 2's block: no pre-norm, the attention and MLP outputs RMS-normalised, QK-norm over the whole
        # projection; full multi-head attention as released (7 experts, 5 routed, there).
        return transformers.FlexOlmoConfig(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE, "num_key_value_heads": HEADS},
            **moe,
            num_experts=EXPERTS,
            norm_topk_prob=False,
            tie_word_embeddings=False,
        )
    if family == "minimax_m2":
        # MiniMax-M2: pre-norm Mixtral-style block, every layer sparse (fused experts, no shared expert), a
        # sigmoid router with a per-expert score-correction bias (a buffer), QK-norm over the whole q and k
        # projections, RoPE on half of each head (rotary_dim 64 of 128 as released).
        return transformers.MiniMaxM2Config(
            **{**common, "intermediate_size": EXPERT_INTERMEDIATE},
            **moe,
            head_dim=head_dim,
            rotary_dim=head_dim // 2,
            num_local_experts=EXPERTS,
            tie_word_embeddings=False,
        )
    raise SystemExit(f"unknown family {family!r}; choose from {', '.join(FAMILIES)}")


def auto_model_class(config):
    """The auto class that builds ``config``'s model: AutoModelForCausalLM, or AutoModelForImageTextToText where
    transformers maps the config for that class only (mistral4 on 5.23: Mistral4ForCausalLM either way)."""
    from transformers import AutoModelForCausalLM, AutoModelForImageTextToText
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING

    return AutoModelForCausalLM if type(config) in MODEL_FOR_CAUSAL_LM_MAPPING else AutoModelForImageTextToText


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--family", choices=FAMILIES, default="llama")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import torch
    from transformers import GenerationConfig, set_seed
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    tok = build_tokenizer()
    ids = {"pad": tok.pad_token_id, "bos": tok.bos_token_id, "eos": tok.eos_token_id}
    config = build_config(args.family, len(tok), {**ids, "unk": tok.unk_token_id})

    set_seed(args.seed)
    torch.manual_seed(args.seed)
    model = auto_model_class(config).from_config(config, dtype=torch.float32)
    model.generation_config = GenerationConfig(
        bos_token_id=ids["bos"], eos_token_id=ids["eos"], pad_token_id=ids["pad"]
    )

    args.out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out_dir)
    tok.save_pretrained(args.out_dir)

    summary = {
        "out_dir": str(args.out_dir.resolve()),
        "family": args.family,
        "model_type": config.model_type,
        "architectures": [type(model).__name__],
        "vocab_size": len(tok),
        "parameters": sum(p.numel() for p in model.parameters()),
        "special_tokens": {"unk": tok.unk_token_id, **ids},
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
