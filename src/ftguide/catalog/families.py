"""One record per model family (a ``config.json`` ``model_type``): what the architecture class is made of.

A catalog entry (``models.py``) holds the sizes of one checkpoint; its family holds what every checkpoint
of that ``model_type`` shares on the pinned stack (transformers 5.23, peft 0.21, bitsandbytes 0.50): the
class names, the ``nn.Linear`` names LoRA can target, the attention implementations the class accepts, how
its MoE experts are stored and whether bitsandbytes quantizes them, soft-capping and tied embeddings.

Every fact here is probed, not guessed: ``tests/tools/probe_families.py`` builds each family's tiny random
model from its real config class and prints these facts; ``tests/test_families.py`` fails when a record
disagrees with the probe. So adding a family (or a quirk) is one record here, plus the tiny config its
probe needs in ``tests/tools/make_tiny_model.py``.

Field conventions:

* ``attn_implementations``: what ``from_pretrained(..., attn_implementation=X)`` accepts for the class.
  ``flash_attention_2`` counts as accepted when the class supports it (it still needs the flash-attn
  package and an Ampere or newer GPU); it is absent when the class refuses it or swaps it for another
  kernel (``flash_kernel``).
* ``expert_layout``: ``"fused"`` when the experts are 3-D ``nn.Parameter`` tensors (transformers 5.x MoE
  blocks: ``gate_up_proj`` [experts, ...] and ``down_proj``), ``"linear"`` for one ``nn.Linear`` per expert,
  None for a dense model. Fused experts are not ``nn.Linear``: PEFT ``target_modules`` cannot reach them
  (``target_parameters`` can) and bitsandbytes does not quantize them.
* ``experts_quantized``: quantization (the profile's ``4bit`` / ``8bit``, i.e. bitsandbytes NF4 and
  LLM.int8) -> whether the expert weights end up quantized. Empty for dense families.
* ``router_module``: the router's path inside a decoder layer; ``gate_modules``: routers and gates that
  are ``nn.Linear`` (PEFT could target them; a LoRA target list should not).
* ``final_logit_softcapping`` / ``attn_logit_softcapping`` / ``tie_word_embeddings``: the config class's
  defaults; a released checkpoint may override them (the catalog entry says so).
* ``decoder_path``: where the decoder layers sit; ``names_outside_decoder``: target names that also name an
  ``nn.Linear`` outside the decoder (a vision tower), so a bare ``target_modules`` name reaches it too.

Importable without torch, rich, jinja2 or typer: plain data and one frozen dataclass.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from ftguide.errors import InputError

AttnImpl = Literal["eager", "sdpa", "flash_attention_2", "flex_attention"]
ExpertLayout = Literal["fused", "linear"]

ATTN_IMPLEMENTATIONS: tuple[AttnImpl, ...] = ("eager", "sdpa", "flash_attention_2", "flex_attention")
TRANSFORMERS_PROBED = "5.23.0"
"""The transformers release the records were probed against (tests/test_families.py checks it)."""

_LLAMA_ATTN = ("q_proj", "k_proj", "v_proj", "o_proj")
_LLAMA_MLP = ("gate_proj", "up_proj", "down_proj")
_QV = ("q_proj", "v_proj")
#: Multi-head latent attention's projections (DeepSeek-V3's modeling: a query latent, the key/value latent with the
#: shared rotary key, its up-projection to every head, the output); a checkpoint without a query latent has q_proj.
_MLA_ATTN = ("q_a_proj", "q_b_proj", "kv_a_proj_with_mqa", "kv_b_proj", "o_proj")
_MLA_MIN = ("q_b_proj", "kv_b_proj")
#: Qwen3.5's layers in module order (probed): Gated DeltaNet's output and split input projections, then the gated
#: full attention's.  A decoder layer holds one or the other.
_QWEN3_5_ATTN = ("out_proj", "in_proj_qkv", "in_proj_z", "in_proj_b", "in_proj_a", *_LLAMA_ATTN)
_ALL_ATTN: tuple[AttnImpl, ...] = ATTN_IMPLEMENTATIONS
_NO_SDPA: tuple[AttnImpl, ...] = ("eager", "flash_attention_2", "flex_attention")
_FUSED_EXPERTS = ("mlp.experts.gate_up_proj", "mlp.experts.down_proj")
_BNB_SKIPS_EXPERTS: Mapping[str, bool] = MappingProxyType({"4bit": False, "8bit": False})
_NO_EXPERTS: Mapping[str, bool] = MappingProxyType({})


def _sdpa_refused(architecture: str) -> str:
    """transformers' own refusal (``PreTrainedModel._sdpa_can_dispatch``), first sentence."""
    return (
        f"{architecture} does not support an attention implementation through "
        "torch.nn.functional.scaled_dot_product_attention yet."
    )


@dataclass(frozen=True)
class Family:
    """What every checkpoint of one ``model_type`` shares on the pinned stack (see the module docstring)."""

    model_type: str
    architecture: str
    """The class ``AutoModelForCausalLM`` builds for this model_type."""
    decoder_layer: str
    """The decoder layer class: FSDP's ``transformer_layer_cls_to_wrap``."""
    attention_modules: tuple[str, ...]
    mlp_modules: tuple[str, ...]
    """nn.Linear names in the MLP (for MoE: only a shared expert's or dense layers'; fused experts are not)."""
    min_modules: tuple[str, ...]
    """The smallest useful LoRA target set (query and value)."""
    attn_implementations: tuple[AttnImpl, ...]
    eager_reason: str | None = None
    """Why sdpa is refused: transformers' error text. None when sdpa is accepted."""
    flash_kernel: str | None = None
    """The kernel the class swaps flash_attention_2 for (a Hub kernel needing the ``kernels`` package)."""
    expert_layout: ExpertLayout | None = None
    expert_parameters: tuple[str, ...] = ()
    """Fused expert tensors, as paths inside a decoder layer (PEFT ``target_parameters`` names)."""
    experts_quantized: Mapping[str, bool] = field(default_factory=lambda: _NO_EXPERTS, hash=False)
    router_module: str | None = None
    gate_modules: tuple[str, ...] = ()
    final_logit_softcapping: float | None = None
    attn_logit_softcapping: float | None = None
    tie_word_embeddings: bool = False
    decoder_path: str = "model.layers"
    names_outside_decoder: tuple[str, ...] = ()
    supports_gradient_checkpointing: bool = True
    axolotl_attention_kernels: bool = True
    """Whether Axolotl 0.19's fused LoRA attention kernels (on by default) can rewrite this class's attention
    (``patch_self_attn_lora``; probed by tests/tools/axolotl_kernel_probe.py).  False: ``axolotl train`` stops at
    load ("Original QKV code not found"), so the YAML switches ``lora_qkv_kernel`` / ``lora_o_kernel`` off."""
    peft_moves_mlp_targets: bool = False
    """Whether PEFT 0.21 moves this family's MLP target names onto its fused routed experts: for a model type that
    transformers converts with Qwen2-MoE's checkpoint pattern, ``_convert_peft_config_moe``
    (``peft/utils/transformers_weight_conversion.py``) replaces ``gate_proj`` / ``up_proj`` / ``down_proj`` in
    ``target_modules`` by the experts' ``gate_up_proj`` / ``down_proj`` ``target_parameters``, whose wrapper refuses
    ``lora_dropout`` other than 0, and the shared expert and dense layers get no adapter.  ftguide then adapts the
    attention only (``targetable_mlp_modules`` is empty).  Probed by tests/tools/probe_families.py."""
    unsloth_fails: str | None = None
    """Why Unsloth (at the pinned release) did not train this family on the H200 in most of its runs, or None
    where it trained: the Unsloth target then warns (calibration/results/ holds the failed runs)."""
    missing_on: tuple[str, ...] = ()
    """Targets whose pinned transformers has no model class for this model_type (Axolotl 0.19 runs 5.16, Unsloth
    5.17; the PEFT script 5.23): there the checkpoint loads only through its own remote code, which ftguide does not
    enable, so the target warns."""
    image_text_release: str | None = None
    """The model_type of the image-text wrapper this family's released checkpoints are (their config.json's top
    level, the family's config in its ``text_config``), where AutoModelForCausalLM refuses that wrapper on the PEFT
    script's transformers: Ministral 3 is released as ``mistral3`` (Mistral3ForConditionalGeneration), which 5.23
    maps for AutoModelForImageTextToText only.  The PEFT script then loads such a checkpoint (vision tower
    included) with AutoModelForImageTextToText, and a checkpoint of the family's own class with
    AutoModelForCausalLM.  Axolotl 0.19 picks the image-text class for such a checkpoint itself."""
    causal_lm_auto: bool = True
    """Whether AutoModelForCausalLM maps this family's own config on the PEFT script's transformers.  False for
    mistral4: 5.23 (and Axolotl's 5.16.1) map Mistral4Config for AutoModelForImageTextToText only (to
    Mistral4ForCausalLM), so the PEFT script loads a checkpoint of the text model itself with that class too
    (with ``image_text_release``).  Probed (``causal_lm_auto``).  Unsloth's 5.17 maps it the same way, and its
    FastModel loads a text-model checkpoint through AutoModelForCausalLM (``unsloth/models/loader.py``
    ``_resolve_non_vlm_auto_model``), so the Unsloth script adds the family's name entry to
    ``MODEL_FOR_CAUSAL_LM_MAPPING_NAMES`` before it loads (``render.causal_lm_unmapped``)."""
    unsloth_text_only: bool = False
    """Whether the Unsloth script loads this family's releases with ``text_only=True``: Qwen3.5's checkpoints are
    image-text wrappers (``Qwen3_5ForConditionalGeneration``) that FastModel would otherwise load whole, vision tower
    included, where the PEFT script's AutoModelForCausalLM builds the text model alone.  Unsloth 2026.10.9's
    ``text_only`` loads the wrapper's ``text_config`` through AutoModelForCausalLM when the text model is the
    family's own (``_is_family_text_decoder``: its model_type starts with the wrapper's) and maps the checkpoint's
    ``model.language_model.`` keys to ``model.``; a checkpoint of the text model itself loads as before.  Both
    scripts then train, and ftguide prices, the same model."""
    notes: str = ""

    @property
    def default_attn(self) -> AttnImpl:
        """What ftguide renders: sdpa where the class accepts it, else eager."""
        return "sdpa" if "sdpa" in self.attn_implementations else "eager"

    @property
    def all_modules(self) -> tuple[str, ...]:
        return self.attention_modules + self.mlp_modules

    @property
    def is_moe(self) -> bool:
        return self.expert_layout is not None

    @property
    def targetable_mlp_modules(self) -> tuple[str, ...]:
        """The MLP names ftguide adapts: none where PEFT would move them onto the routed experts."""
        return () if self.peft_moves_mlp_targets else self.mlp_modules

    @property
    def targetable_attention_modules(self) -> tuple[str, ...]:
        """The attention names ftguide adapts: without one that shares an MLP name PEFT would move (AFMoE's gate)."""
        if not self.peft_moves_mlp_targets:
            return self.attention_modules
        return tuple(m for m in self.attention_modules if m not in self.mlp_modules)

    def accepts(self, attn_implementation: str) -> bool:
        return attn_implementation in self.attn_implementations

    def quantizes_experts(self, quantization: str) -> bool:
        """Whether ``quantization`` (``4bit`` / ``8bit``) stores the experts quantized; True for dense models."""
        return self.experts_quantized.get(quantization, True) if self.is_moe else True


FAMILIES: tuple[Family, ...] = (
    Family(
        model_type="llama",
        architecture="LlamaForCausalLM",
        decoder_layer="LlamaDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes="Llama 2 / 3.x, SmolLM2 and most Llama-shaped checkpoints.",
    ),
    Family(
        model_type="mistral",
        architecture="MistralForCausalLM",
        decoder_layer="MistralDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
    ),
    Family(
        model_type="ministral",
        architecture="MinistralForCausalLM",
        decoder_layer="MinistralDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Ministral 8B (2410): Mistral's pre-norm SwiGLU block on Qwen2's layer code without biases (q/k/v/o "
            "have none), interleaved attention from layer_types: full layers and sliding-window layers "
            "(sliding_window, 32768 as released) in a 1 full : 3 sliding pattern, untied head, full RoPE. "
            "transformers loads a config.json of model_type mistral that has layer_types as this class "
            "(AutoConfig's heuristic); without layer_types it stays MistralForCausalLM."
        ),
    ),
    Family(
        model_type="ministral3",
        architecture="Ministral3ForCausalLM",
        decoder_layer="Ministral3DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        image_text_release="mistral3",
        notes=(
            "Ministral 3 (3B, 8B, 14B; 2512) text model: Mistral's pre-norm SwiGLU block without biases, GQA with "
            "head_dim 128 whatever hidden / heads is (the 3B's q_proj is 3072 -> 4096), YaRN RoPE (factor 16 over "
            "16384, 262144 positions) and Llama 4's query temperature: after RoPE the queries are multiplied by "
            "1 + llama_4_scaling_beta * log(1 + floor(position / original_max_position_embeddings)) (beta 0.1; 1 "
            "below 16384 tokens), a new query-sized tensor per layer that replaces the RoPE output as what the "
            "attention saves, plus a (batch, 1, seq, 1) scale. No sliding window as released (sliding_window null; "
            "set, every layer would slide); the 3B ties its head, the 8B and 14B do not. Released as "
            "Mistral3ForConditionalGeneration (config.json model_type mistral3, this model in text_config, a "
            "0.4B Pixtral vision tower whose attention and feed-forward also name q/k/v/o_proj and "
            "gate/up/down_proj, so bare target names reach it): transformers 5.23's AutoModelForCausalLM refuses "
            "that config and Ministral3ForCausalLM.from_pretrained loads none of its weights (every key unexpected, "
            "every parameter initialized anew), so the PEFT script loads it with AutoModelForImageTextToText "
            "(image_text_release). The Instruct repos hold FP8 weights (quantization_config fp8), the -BF16 repos, "
            "Base and Reasoning bf16."
        ),
    ),
    Family(
        model_type="qwen2",
        architecture="Qwen2ForCausalLM",
        decoder_layer="Qwen2DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes="q/k/v projections carry biases.",
    ),
    Family(
        model_type="qwen3",
        architecture="Qwen3ForCausalLM",
        decoder_layer="Qwen3DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes="QK-norm (per-head RMSNorm on q and k); no attention biases.",
    ),
    Family(
        model_type="gemma",
        architecture="GemmaForCausalLM",
        decoder_layer="GemmaDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        notes=(
            "Gemma 1 (2b, 7b) and CodeGemma: a pre-norm block without biases, RMSNorm scaled by (1 + weight) in "
            "fp32, a GeGLU MLP (gate/up/down_proj, tanh-approximated GELU: a released hidden_act gelu is read as "
            "gelu_pytorch_tanh), head_dim 256 whatever hidden / heads is, embeddings multiplied by sqrt(hidden), "
            "tied 256000-token embeddings, full RoPE, no soft-capping, no sliding window. Gemma 2B has one KV head."
        ),
    ),
    Family(
        model_type="gemma2",
        architecture="Gemma2ForCausalLM",
        decoder_layer="Gemma2DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_NO_SDPA,
        eager_reason=_sdpa_refused("Gemma2ForCausalLM"),
        final_logit_softcapping=30.0,
        attn_logit_softcapping=50.0,
        tie_word_embeddings=True,
        notes=(
            "Attention logits are soft-capped (tanh at 50) inside the attention, which SDPA cannot express, so "
            "the class refuses sdpa; eager materialises the full score matrix per layer. Alternating sliding "
            "(4096) and full layers."
        ),
        unsloth_fails=(
            "Unsloth 2026.10.9 did not train Gemma-2 on an H200 (torch 2.11): torch inductor failed compiling its "
            "decoder layer's backward, and with UNSLOTH_COMPILE_DISABLE the runs did not finish in 200 s"
        ),
    ),
    Family(
        model_type="vaultgemma",
        architecture="VaultGemmaForCausalLM",
        decoder_layer="VaultGemmaDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_NO_SDPA,
        eager_reason=_sdpa_refused("VaultGemmaForCausalLM"),
        final_logit_softcapping=30.0,
        attn_logit_softcapping=50.0,
        tie_word_embeddings=True,
        notes=(
            "VaultGemma (Google's differentially private 1B): Gemma-2's classes with the post-attention and "
            "post-MLP norms deleted, so two RMSNorms a layer (input_layernorm, pre_feedforward_layernorm), each "
            "scaled by (1 + weight); GeGLU MLP, embeddings multiplied by sqrt(hidden), tied head, always causal. "
            "The config class keeps Gemma-2's defaults (soft-caps 50 / 30, alternating sliding layers), but the "
            "released checkpoint sets both caps to null and every layer to full attention. transformers 5.23 "
            "refuses sdpa for the class (_supports_sdpa False, whatever the config's caps), so the PEFT script and "
            "the Axolotl YAML load it with eager attention; transformers 5.16.1 (Axolotl 0.19) and 5.17.0 "
            "(Unsloth) still accept sdpa, which Unsloth then picks (no score matrix)."
        ),
    ),
    Family(
        model_type="gemma3_text",
        architecture="Gemma3ForCausalLM",
        decoder_layer="Gemma3DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        notes="Text-only Gemma 3 (270m, 1b). QK-norm instead of soft-capping; 5 sliding layers per full one.",
        unsloth_fails=(
            "Unsloth 2026.10.9 hung on text-only Gemma-3 on an H200 (torch 2.11) in 3 of 4 runs, killed after "
            "200-300 s without a training step; one run trained"
        ),
    ),
    Family(
        model_type="gemma3",
        architecture="Gemma3ForConditionalGeneration",
        decoder_layer="Gemma3DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        decoder_path="model.language_model.layers",
        names_outside_decoder=("q_proj", "k_proj", "v_proj"),
        notes=(
            "Multimodal Gemma 3 (4b, 12b, 27b): AutoModelForCausalLM builds the image-text class, a SigLIP vision "
            "tower included; its attention also names q_proj/k_proj/v_proj, so bare target names reach it."
        ),
    ),
    Family(
        model_type="phi3",
        architecture="Phi3ForCausalLM",
        decoder_layer="Phi3DecoderLayer",
        attention_modules=("qkv_proj", "o_proj"),
        mlp_modules=("gate_up_proj", "down_proj"),
        min_modules=("qkv_proj",),
        attn_implementations=_ALL_ATTN,
        notes="Fused qkv_proj and gate_up_proj linears (Phi-3, Phi-3.5, Phi-4, Phi-4-mini).",
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="mixtral",
        architecture="MixtralForCausalLM",
        decoder_layer="MixtralDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        notes="MixtralTopKRouter holds a bare weight parameter; experts are fused [experts, 2 x inter, hidden].",
    ),
    Family(
        model_type="qwen3_moe",
        architecture="Qwen3MoeForCausalLM",
        decoder_layer="Qwen3MoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        notes="Every layer sparse when mlp_only_layers is empty (Qwen3-30B-A3B, 235B-A22B); QK-norm.",
    ),
    Family(
        model_type="gpt_oss",
        architecture="GptOssForCausalLM",
        decoder_layer="GptOssDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=("eager", "flex_attention"),
        eager_reason=_sdpa_refused("GptOssForCausalLM"),
        flash_kernel="kernels-community/vllm-flash-attn3",
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.router",
        notes=(
            "Learned attention sinks (per-head logits added to the softmax), which SDPA cannot express: sdpa is "
            "refused and flash_attention_2 is swapped for a Hub FlashAttention-3 kernel. Experts fused "
            "[experts, hidden, 2 x inter] with biases; the released weights store them in MXFP4. Alternating "
            "sliding (128) and full layers; attention biases."
        ),
    ),
    Family(
        model_type="smollm3",
        architecture="SmolLM3ForCausalLM",
        decoder_layer="SmolLM3DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        notes="Llama-shaped; every fourth layer drops RoPE (NoPE layers).",
    ),
    Family(
        model_type="olmo2",
        architecture="Olmo2ForCausalLM",
        decoder_layer="Olmo2DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes="Norms after attention and MLP (no pre-norm); QK-norm over the whole projection.",
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="olmo3",
        architecture="Olmo3ForCausalLM",
        decoder_layer="Olmo3DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "OLMo 3: OLMo 2's block (norms after attention and MLP, QK-norm over the whole projection) with "
            "sliding-window layers (3 sliding of 4096 per full one; YaRN on the full layers only)."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="granite",
        architecture="GraniteForCausalLM",
        decoder_layer="GraniteDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes="Granite 3.x dense: Llama-shaped with embedding, attention, residual and logit multipliers.",
    ),
    Family(
        model_type="llama4_text",
        architecture="Llama4ForCausalLM",
        decoder_layer="Llama4TextDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=("eager", "sdpa", "flex_attention"),
        expert_layout="fused",
        expert_parameters=("feed_forward.experts.gate_up_proj", "feed_forward.experts.down_proj"),
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="feed_forward.router",
        gate_modules=("router",),
        axolotl_attention_kernels=False,
        notes=(
            "Llama 4 (Scout, Maverick) text decoder. The released config.json is multimodal (model_type llama4, "
            "Llama4ForConditionalGeneration, text_config llama4_text); AutoModelForCausalLM builds this text-only "
            "class from its text_config (auto_factory swaps the config when the class's config_class is the "
            "text_config's) and drops the vision tower, so the loaded model's model_type is llama4_text. MoE "
            "layers (moe_layers, or every interleave_moe_layer_step-th layer) hold fused experts "
            "(Llama4TextExperts: gate_up_proj [experts, hidden, 2 x intermediate_size], down_proj) plus one shared "
            "expert of intermediate_size (Llama4TextMLP, nn.Linear gate/up/down_proj, added unscaled); the other "
            "layers a dense MLP of intermediate_size_mlp. The router (Llama4Router) subclasses nn.Linear: top-k "
            "(1 as released) logits, then a sigmoid; the routed input is scaled by its score before the experts. "
            "bitsandbytes replaces only exact nn.Linear, so the router stays 16-bit with the experts. NoPE layers "
            "(no_rope_layers 0: every fourth) attend over the full context with attention temperature tuning; the "
            "RoPE layers attend in chunks of attention_chunk_size and L2-normalise q and k without weights "
            "(use_qk_norm: Scout yes, Maverick no). The class refuses flash_attention_2. PEFT 0.21 moves no MLP "
            "target (llama4 / llama4_text have no conversion pattern). Axolotl 0.19's LoRA attention kernels "
            "know model_type llama4 only, not the llama4_text this class reports (it could not import the "
            "attention class for model_type: llama4_text), so the YAML switches them off."
        ),
    ),
    Family(
        model_type="qwen3_next",
        architecture="Qwen3NextForCausalLM",
        decoder_layer="Qwen3NextDecoderLayer",
        attention_modules=("in_proj_qkvz", "in_proj_ba", "out_proj", "q_proj", "k_proj", "v_proj", "o_proj"),
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=("eager", "sdpa", "flash_attention_2"),
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        gate_modules=("shared_expert_gate",),
        notes=(
            "Qwen3-Next (80B-A3B Instruct / Thinking), Qwen3.5's predecessor: Gated DeltaNet (linear attention) in "
            "3 of 4 layers (full_attention_interval 4; the released config.json has no layer_types), its input "
            "projections fused (in_proj_qkvz: h -> 2K + 2V, in_proj_ba: h -> 2 Hv; Qwen3.5 splits them), a depthwise "
            "causal conv over q/k/v, a gated RMSNorm and out_proj; the other layers gated full attention (q_proj "
            "h -> 2 x heads x head_dim: the queries and a sigmoid output gate, per head), per-head q/k norms, partial "
            "RoPE; zero-centred RMSNorms (1 + weight). Every layer holds fused routed experts (gate_up_proj, "
            "down_proj: bitsandbytes leaves them 16-bit; the checkpoints store one tensor per expert, which 5.23 "
            "stacks with Qwen2-MoE's pattern) plus one shared expert (nn.Linear gate/up/down_proj) scaled by a "
            "sigmoid gate (shared_expert_gate). PEFT 0.21 moves gate/up/down_proj onto the routed experts (probed), "
            "so ftguide adapts the attention only. q/v targets reach the full-attention layers only. The "
            "released checkpoint's mtp.* layer is not built (_keys_to_ignore_on_load_unexpected). On the PEFT "
            "path the linear attention runs transformers' PyTorch fallbacks and is priced as Qwen3.5's (traced: the "
            "same saved tensors to the byte, calibration/linear_mixer_trace.py --family qwen3_next). Unsloth "
            "2026.10.9 hands qwen3_next to FastModel, binds its bundled fla kernels and Triton conv into the "
            "modeling module and runs its own experts forward (temporary_patches/qwen3_next_moe.py), priced as "
            "Qwen3.5-MoE's, untraced. Axolotl 0.19's LoRA attention kernels patch Qwen3NextAttention (its QKV "
            "pattern for the gated q_proj; probed patchable on the L4 cut), and its Gated DeltaNet kernels match "
            "Qwen3.5's split names only, so the fused projections keep PEFT's own path. Refuses flex_attention."
        ),
    ),
    Family(
        model_type="qwen3_5_text",
        architecture="Qwen3_5ForCausalLM",
        decoder_layer="Qwen3_5DecoderLayer",
        attention_modules=_QWEN3_5_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=("eager", "sdpa", "flash_attention_2"),
        axolotl_attention_kernels=False,
        unsloth_text_only=True,
        notes=(
            "Qwen3.5 (0.8B, 2B, 4B, 9B, 27B) text model: Qwen3-Next's layers, dense. Gated DeltaNet (linear "
            "attention) in 3 of 4 layers (layer_types; full_attention_interval 4), its input projections split "
            "(in_proj_qkv, in_proj_z, in_proj_b, in_proj_a; Qwen3-Next fuses them as in_proj_qkvz, in_proj_ba), a "
            "depthwise causal conv over q/k/v, a gated RMSNorm and out_proj; the other layers gated full attention "
            "(q_proj is h -> 2 x heads x head_dim: the queries and a sigmoid output gate), per-head q/k norms, "
            "partial RoPE. q/v targets reach the full-attention layers only. Released as "
            "Qwen3_5ForConditionalGeneration (config.json model_type qwen3_5, this model in text_config, a vision "
            "tower): transformers 5.23 maps qwen3_5 to this class for AutoModelForCausalLM ('VLM compatibility'), "
            "which builds the text model from text_config, strips the checkpoint's language_model prefix and skips "
            "model.visual.* (checked on a tiny release: every weight loads), so the loaded model_type is "
            "qwen3_5_text and the vision tower is neither loaded nor priced. The PEFT script's stack has neither "
            "flash-linear-attention nor causal-conv1d, so there the linear attention runs, and is priced as, "
            "transformers' PyTorch fallbacks (torch_causal_conv1d_fn, torch_chunk_gated_delta_rule). Axolotl 0.19 "
            "requires flash-linear-attention 0.5.2 (x86), whose kernels keep less, yet its YAML is priced as the "
            "fallbacks too (an over-estimate, unmeasured). Unsloth "
            "2026.10.9 differs: FastLanguageModel hands qwen3_5 to FastModel, which would load a release with the "
            "image-text class (Qwen3_5ForConditionalGeneration, vision tower included), so the Unsloth script "
            "passes text_only=True and FastModel loads the text model alone (as the PEFT script does), runs "
            "the bundled flash-linear-attention 0.5.1 chunked kernels "
            "and a Triton causal conv (unsloth_zoo), each decoder layer compiled as one region; that path is priced "
            "from the code (memory.unsloth_linear_attention_bytes), untraced. "
            "Refuses flex_attention. Axolotl 0.19's LoRA attention kernels cannot import the attention class for "
            "model_type qwen3_5_text (the loaded config's: no module transformers.models.qwen3_5_text), so the YAML "
            "switches them off (its kernel probe, as for llama4_text)."
        ),
    ),
    Family(
        model_type="qwen3_5_moe_text",
        architecture="Qwen3_5MoeForCausalLM",
        decoder_layer="Qwen3_5MoeDecoderLayer",
        attention_modules=_QWEN3_5_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=("eager", "sdpa", "flash_attention_2"),
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        gate_modules=("shared_expert_gate",),
        axolotl_attention_kernels=False,
        unsloth_text_only=True,
        notes=(
            "Qwen3.5 MoE (35B-A3B, 122B-A10B, 397B-A17B) text model: the dense Qwen3.5's Gated DeltaNet and gated "
            "full-attention layers (split in_proj_qkv / in_proj_z / in_proj_b / in_proj_a) with, in every layer, "
            "fused routed experts (gate_up_proj, down_proj: bitsandbytes leaves them 16-bit) plus one shared "
            "expert (nn.Linear gate/up/down_proj) scaled by a sigmoid gate (shared_expert_gate). PEFT 0.21 moves "
            "no MLP target for qwen3_5_moe_text (probed): gate/up/down_proj adapt the shared expert. Released as "
            "Qwen3_5MoeForConditionalGeneration (model_type qwen3_5_moe, this model in text_config); "
            "AutoModelForCausalLM on 5.23 loads the text model alone, as for the dense family (vision tower neither "
            "loaded nor priced; linear attention priced from transformers' PyTorch fallbacks, as the PEFT stack "
            "has no flash-linear-attention or causal-conv1d). On Unsloth 2026.10.9, as for the dense family, "
            "the script's text_only=True loads the text model alone (vision tower skipped) and FastModel runs the "
            "bundled fla kernels; its experts run unsloth_zoo's own forward (temporary_patches/qwen3_5_moe.py, "
            "patched on the classes, so keyed qwen3_5_moe_text in memory.py), priced as Qwen3-MoE's, untraced. "
            "Refuses flex_attention. Axolotl 0.19's LoRA attention kernels are off, as for the "
            "dense family."
        ),
    ),
    Family(
        model_type="granitemoehybrid",
        architecture="GraniteMoeHybridForCausalLM",
        decoder_layer="GraniteMoeHybridDecoderLayer",
        attention_modules=("in_proj", "out_proj", "q_proj", "k_proj", "v_proj", "o_proj"),
        mlp_modules=("input_linear", "output_linear"),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=("block_sparse_moe.experts.gate_up_proj", "block_sparse_moe.experts.down_proj"),
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="block_sparse_moe.router",
        notes=(
            "Granite 4.0-H: Mamba-2 layers (in_proj, out_proj) interleaved with attention layers, fused experts "
            "plus a shared MLP (input_linear = gate and up fused, output_linear). Not in the catalog: the shape "
            "model has no Mamba layer."
        ),
    ),
    Family(
        model_type="gpt_neox",
        architecture="GPTNeoXForCausalLM",
        decoder_layer="GPTNeoXLayer",
        attention_modules=("query_key_value", "dense"),
        mlp_modules=("dense_h_to_4h", "dense_4h_to_h"),
        min_modules=("query_key_value",),
        attn_implementations=_ALL_ATTN,
        decoder_path="gpt_neox.layers",
        notes="Pythia, GPT-NeoX: fused query_key_value.",
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="falcon",
        architecture="FalconForCausalLM",
        decoder_layer="FalconDecoderLayer",
        attention_modules=("query_key_value", "dense"),
        mlp_modules=("dense_h_to_4h", "dense_4h_to_h"),
        min_modules=("query_key_value",),
        attn_implementations=("eager", "sdpa", "flash_attention_2"),
        tie_word_embeddings=True,
        decoder_path="transformer.h",
        notes="Falcon: fused query_key_value; refuses flex_attention.",
    ),
    Family(
        model_type="glm4",
        architecture="Glm4ForCausalLM",
        decoder_layer="Glm4DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=("gate_up_proj", "down_proj"),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "GLM-4-0414: separate q/k/v projections with biases, one fused gate_up_proj Linear in the MLP, RoPE "
            "on half of each head (partial_rotary_factor 0.5), and four RMSNorms a layer: the block output of "
            "attention and of the MLP is normalised again (post_self_attn_layernorm, post_mlp_layernorm)."
        ),
    ),
    Family(
        model_type="ernie4_5",
        architecture="Ernie4_5ForCausalLM",
        decoder_layer="Ernie4_5DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        notes="Dense ERNIE 4.5 (0.3B): a Llama-shaped block without biases (use_bias false); tied embeddings.",
    ),
    Family(
        model_type="olmoe",
        architecture="OlmoeForCausalLM",
        decoder_layer="OlmoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=("eager", "sdpa", "flash_attention_2"),
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        notes=(
            "OLMoE: every layer sparse (64 fused experts, top 8, no shared expert); the router "
            "(OlmoeTopKRouter) is a bare weight parameter. QK-norm over the whole q and k projections, as "
            "OLMo 2. The class refuses flex_attention."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="phimoe",
        architecture="PhimoeForCausalLM",
        decoder_layer="PhimoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.router",
        gate_modules=("router",),
        notes=(
            "Phi-3.5-MoE: every layer sparse (16 fused experts, top 2 by sparsemixer, no shared expert); the "
            "router (PhimoeTopKRouter) is an nn.Linear, so a bare 'router' target would reach it. Separate q/k/v "
            "projections with biases, LayerNorm (not RMSNorm) with biases, a biased lm_head; the checkpoint "
            "stores one tensor per expert (w1/w2/w3 under block_sparse_moe), stacked at load."
        ),
    ),
    Family(
        model_type="granitemoe",
        architecture="GraniteMoeForCausalLM",
        decoder_layer="GraniteMoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=("block_sparse_moe.experts.gate_up_proj", "block_sparse_moe.experts.down_proj"),
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="block_sparse_moe.router",
        notes=(
            "Granite 3.x MoE: every layer sparse (fused experts, no shared expert); the router "
            "(GraniteMoeTopKRouter) is a bare weight parameter. Granite's embedding, attention, residual and "
            "logit multipliers. The checkpoint already stores the experts as 3-D tensors (input_linear, "
            "output_linear), renamed at load."
        ),
    ),
    Family(
        model_type="exaone4",
        architecture="Exaone4ForCausalLM",
        decoder_layer="Exaone4DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "EXAONE 4.0: no pre-norm; the attention and MLP outputs are RMS-normalised "
            "(post_attention_layernorm, post_feedforward_layernorm), plus per-head QK-norm. layer_types may mix "
            "sliding and global layers (the 32B: 3 sliding per global, the global ones without RoPE); the 1.2B "
            "is global everywhere."
        ),
    ),
    Family(
        model_type="seed_oss",
        architecture="SeedOssForCausalLM",
        decoder_layer="SeedOssDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Seed-OSS: a Llama-shaped pre-norm block with q/k/v biases (attention_bias) and none on o_proj "
            "(attention_out_bias), no QK-norm. Its config keeps dropout on in training: attention_dropout 0.1 "
            "and residual_dropout 0.1 (after o_proj and after down_proj)."
        ),
    ),
    Family(
        model_type="apertus",
        architecture="ApertusForCausalLM",
        decoder_layer="ApertusDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=("up_proj", "down_proj"),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Apertus (Swiss AI Initiative): a Llama-shaped pre-norm block (attention_layernorm, "
            "feedforward_layernorm) with per-head QK-norm and an ungated MLP, down_proj(xIELU(up_proj(x))): two "
            "matrices, no gate_proj. xIELU has two trainable scalars per layer (frozen under LoRA) and runs its "
            "python path unless the xielu CUDA package is installed. llama3-style RoPE, untied head."
        ),
    ),
    Family(
        model_type="nemotron",
        architecture="NemotronForCausalLM",
        decoder_layer="NemotronDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=("up_proj", "down_proj"),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Nemotron-4 / Minitron (NVIDIA): an ungated squared-ReLU MLP, down_proj(relu(up_proj(x))^2), two "
            "matrices and no gate_proj; LayerNorm1P (a LayerNorm with bias whose weight is stored minus one, run "
            "outside autocast) before attention and MLP; RoPE on part of each head (partial_rotary_factor)."
        ),
    ),
    Family(
        model_type="arcee",
        architecture="ArceeForCausalLM",
        decoder_layer="ArceeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=("up_proj", "down_proj"),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Arcee AFM: Llama's block (two RMSNorms, GQA, RoPE with YaRN as released) with an ungated "
            "squared-ReLU MLP, down_proj(relu(up_proj(x))^2): two matrices, no gate_proj. Untied head."
        ),
    ),
    Family(
        model_type="hunyuan_v1_dense",
        architecture="HunYuanDenseV1ForCausalLM",
        decoder_layer="HunYuanDenseV1DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Hunyuan dense (0.5B-7B): a Llama-shaped pre-norm block with per-head QK-norm applied after RoPE "
            "(query_layernorm, key_layernorm) and NTK-alpha RoPE; the released checkpoints tie their embeddings "
            "(the config class defaults to untied)."
        ),
    ),
    Family(
        model_type="helium",
        architecture="HeliumForCausalLM",
        decoder_layer="HeliumDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "Helium (Kyutai): a Llama-shaped pre-norm block (two RMSNorms a layer, eps 1e-8, the norm weight "
            "applied in fp32), RoPE on interleaved pairs, SwiGLU, no biases, no QK-norm, full attention in every "
            "layer."
        ),
    ),
    Family(
        model_type="stablelm",
        architecture="StableLmForCausalLM",
        decoder_layer="StableLmDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=("eager", "sdpa", "flash_attention_2"),
        notes=(
            "StableLM 2: LayerNorm with bias (not RMSNorm) before attention and before the MLP, q/k/v biases "
            "(use_qkv_bias) and none on o_proj, RoPE on a quarter of each head (partial_rotary_factor 0.25), "
            "SwiGLU. The class can also run attention and MLP in parallel off one norm (use_parallel_residual) "
            "and add per-head LayerNorm QK-norm (qk_layernorm); the 1.6B uses neither (both false in its "
            "config). Refuses flex_attention."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="cohere",
        architecture="CohereForCausalLM",
        decoder_layer="CohereDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        notes=(
            "Command R / R+, Aya 23 and Aya Expanse: a parallel block, one norm per layer (input_layernorm, a "
            "CohereLayerNorm: mean-centred like nn.LayerNorm, fp32 statistics, a weight and no bias) feeding "
            "both attention and the SwiGLU MLP, whose outputs are added to the residual together; no biases "
            "(attention_bias false), interleaved RoPE, tied embeddings with a 256000-token vocabulary, and the "
            "logits multiplied by logit_scale. use_qk_norm (Command R+) adds per-head CohereLayerNorms on q "
            "(heads x head_dim) and k (kv heads x head_dim) before RoPE."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="cohere2",
        architecture="Cohere2ForCausalLM",
        decoder_layer="Cohere2DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        tie_word_embeddings=True,
        notes=(
            "Command R7B and Command A: Cohere's parallel block (one bias-free CohereLayerNorm per layer "
            "feeding attention and MLP, both added to the residual; tied 256000-token embeddings; logit_scale) "
            "with interleaved layers: three sliding-window layers (4096, RoPE) per global one that has no "
            "positional encoding (NoPE), from layer_types or the released sliding_window_pattern 4. No QK-norm. "
            "Cohere2Config sets head_dim to hidden_size / num_attention_heads whatever config.json says."
        ),
    ),
    Family(
        model_type="internlm3",
        architecture="LlamaForCausalLM",
        decoder_layer="LlamaDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "InternLM3 (8B Instruct): transformers 5.23 has a config class (InternLM3Config) and no model class of "
            "its own: AutoModelForCausalLM builds LlamaForCausalLM, whatever the released architectures entry "
            "(InternLM3ForCausalLM, remote code) says. A Llama block: two RMSNorms a layer, SwiGLU, no biases (the "
            "config's qkv_bias and bias, read as attention_bias and mlp_bias, must agree), head_dim 128, "
            "dynamic-NTK RoPE, untied head. transformers 5.16 and 5.17 (Axolotl's and Unsloth's stacks) know no "
            "internlm3 model type, so there the checkpoint loads only through its remote code."
        ),
        axolotl_attention_kernels=False,
        missing_on=("axolotl", "unsloth"),
    ),
    Family(
        model_type="glm",
        architecture="GlmForCausalLM",
        decoder_layer="GlmDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=("gate_up_proj", "down_proj"),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "GLM-4-9B in its transformers-native form (the -hf checkpoints; the original ones are ChatGLM remote "
            "code): a pre-norm block with two RMSNorms a layer (GLM-4-0414's glm4 has four), q/k/v biases "
            "(attention_bias) and none on o_proj, one fused gate_up_proj Linear in the MLP, interleaved RoPE on "
            "half of each head (partial_rotary_factor 0.5, the class's default), untied head."
        ),
    ),
    Family(
        model_type="olmo",
        architecture="OlmoForCausalLM",
        decoder_layer="OlmoDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        notes=(
            "OLMo (v1: OLMo-1B / 7B and their 0424 / 0724 updates, the -hf checkpoints): a pre-norm Llama-like block "
            "whose two norms a layer (and the final one) are non-parametric LayerNorms (OlmoLayerNorm: no weight, no "
            "bias, computed in fp32, eps 1e-5), SwiGLU, no biases, full multi-head attention, RoPE. clip_qkv, where "
            "set (OLMo 1.7's model card notes QKV clipping; null in OLMo-1B-hf and 7B-hf), clamps q, k and v in "
            "place after projection. The 1B ties its embeddings, the 7B does not."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="qwen2_moe",
        architecture="Qwen2MoeForCausalLM",
        decoder_layer="Qwen2MoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        gate_modules=("shared_expert_gate",),
        notes=(
            "Qwen2-MoE (Qwen1.5-MoE, Qwen2-57B-A14B): a Qwen2 block (q/k/v biases, no QK-norm) whose MLP is "
            "sparse: fused routed experts under a bare-parameter softmax top-k router (Qwen2MoeTopKRouter), plus a "
            "shared expert MLP (mlp.shared_expert, nn.Linear gate/up/down: what mlp_modules name) scaled by a "
            "sigmoid gate nn.Linear(h, 1) (shared_expert_gate). Layers in mlp_only_layers, or off the "
            "decoder_sparse_step grid, get a dense MLP of intermediate_size; both released models are sparse in "
            "every layer. The checkpoint stores one tensor per expert, stacked at load."
        ),
    ),
    Family(
        model_type="hunyuan_v1_moe",
        architecture="HunYuanMoEV1ForCausalLM",
        decoder_layer="HunYuanMoEV1DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate.wg",
        gate_modules=("wg",),
        notes=(
            "Hunyuan-MoE (Hunyuan-A13B): Hunyuan dense's block (per-head QK-norm after RoPE, NTK-alpha RoPE) with "
            "every layer sparse: fused routed experts under an nn.Linear softmax router (mlp.gate.wg, built in "
            "fp32) and one shared expert MLP (mlp.shared_mlp, nn.Linear gate/up/down) added without a gate. "
            "transformers 5.23 sizes both from intermediate_size and ignores moe_intermediate_size, "
            "num_shared_expert and use_mixed_mlp_moe (the released config sets them consistently); moe_topk may "
            "be a per-layer list. The checkpoint stores one tensor per expert, stacked at load; the released "
            "checkpoints tie their embeddings."
        ),
    ),
    Family(
        model_type="glm4_moe",
        architecture="Glm4MoeForCausalLM",
        decoder_layer="Glm4MoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        notes=(
            "GLM-4.5 / 4.6 / 4.5-Air: a pre-norm block; the first first_k_dense_replace layers have a dense MLP "
            "(gate/up/down_proj), the others fused routed experts plus a shared expert (shared_experts.gate/up/"
            "down_proj, nn.Linear, added without a gate). The router (Glm4MoeTopkRouter) is a bare weight "
            "parameter scored by sigmoid in fp32, with a per-expert score-correction bias buffer (fp32) and "
            "routed_scaling_factor. q/k/v biases (attention_bias), none on o_proj; per-head QK-norm when "
            "use_qk_norm (GLM-4.5 and 4.6, not Air); RoPE on half of each head. The checkpoint stores one tensor "
            "per expert, stacked at load; its multi-token-prediction layer (layer num_hidden_layers) is not built "
            "and its weights are dropped at load."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="deepseek_v3",
        architecture="DeepseekV3ForCausalLM",
        decoder_layer="DeepseekV3DecoderLayer",
        attention_modules=_MLA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_MLA_MIN,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        notes=(
            "DeepSeek-V3 / R1, Kimi K2, Moonlight: multi-head latent attention (queries through a q_lora_rank "
            "latent with its RMSNorm, or one q_proj where q_lora_rank is null; keys and values through a "
            "kv_lora_rank latent with its RMSNorm, projected up per head by kv_b_proj, beside one rotary key of "
            "qk_rope_head_dim shared by every head; query/key heads qk_nope + qk_rope wide, value heads v_head_dim). "
            "The first first_k_dense_replace layers have a dense SwiGLU MLP, the others fused routed experts under "
            "a bare-parameter sigmoid router with group-limited top-k and a score-correction bias, plus "
            "n_shared_experts shared experts as one nn.Linear MLP. Untied head. The checkpoint stores one tensor "
            "per expert, stacked at load (Qwen2-MoE's pattern); its multi-token-prediction layer is not built. "
            "DeepSeek's own releases are FP8 checkpoints; Moonlight's and Kimi's configs name remote code, which "
            "transformers 5.23 does not need."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="glm4_moe_lite",
        architecture="Glm4MoeLiteForCausalLM",
        decoder_layer="Glm4MoeLiteDecoderLayer",
        attention_modules=_MLA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_MLA_MIN,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        notes=(
            "GLM-4.7-Flash: GLM-4.5's MoE block (a dense first layer, fused routed experts under a sigmoid router "
            "with a score-correction bias, one shared expert, no gate on it) with DeepSeek-V3's multi-head latent "
            "attention (q_lora_rank and kv_lora_rank latents, per-head up-projection, a shared rotary key). "
            "Untied head. The checkpoint stores one tensor per expert, stacked at load (Qwen2-MoE's pattern); its "
            "multi-token-prediction layer is not built."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="mistral4",
        architecture="Mistral4ForCausalLM",
        decoder_layer="Mistral4DecoderLayer",
        attention_modules=_MLA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_MLA_MIN,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        image_text_release="mistral3",
        causal_lm_auto=False,
        notes=(
            "Mistral Small 4 (119B, 2603) text model: transformers builds it from DeepSeek-V3's classes. "
            "Multi-head latent attention as DeepSeek-V3's (q_lora_rank and kv_lora_rank latents with their "
            "RMSNorms, kv_b_proj per head, a shared rotary key, interleaved rotary weights) plus Llama 4's query "
            "temperature after RoPE (llama_4_scaling_beta over original_max_position_embeddings: a new query "
            "tensor that replaces the concatenated one as what the attention saves, and a (batch, 1, seq, 1) "
            "scale), YaRN. Fused routed experts under a bare-parameter router that takes a softmax in the hidden "
            "state's dtype (no fp32 cast, no score-correction bias, nothing kept in fp32), group-limited top-k, plus "
            "n_shared_experts shared experts as one nn.Linear MLP; no dense layer as released "
            "(first_k_dense_replace 0). Untied head. Unlike deepseek_v3, transformers has no checkpoint conversion "
            "for mistral4: the checkpoint stores the experts fused (gate_up_proj, down_proj), nothing is stacked "
            "at load, and PEFT 0.21 moves no MLP target (probed): gate/up/down_proj adapt the shared experts. "
            "AutoModelForCausalLM on 5.23 maps no Mistral4Config (causal_lm_auto false); "
            "AutoModelForImageTextToText builds Mistral4ForCausalLM from it. Released as "
            "Mistral3ForConditionalGeneration (config.json model_type mistral3, this model in text_config, a "
            "Pixtral vision tower whose o_proj and gate/up/down_proj names bare targets also reach), which the "
            "PEFT script loads with AutoModelForImageTextToText as Ministral 3's; the official repo's weights are "
            "FP8 (quantization_config fp8), Axolotl's example uses a bf16 copy."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="ernie4_5_moe",
        architecture="Ernie4_5_MoeForCausalLM",
        decoder_layer="Ernie4_5_MoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        tie_word_embeddings=True,
        notes=(
            "ERNIE-4.5-MoE: a pre-norm block without biases (use_bias false); layers before moe_layer_start_index "
            "have a dense MLP, the others fused routed experts plus moe_num_shared_experts shared experts of the "
            "routed width (one nn.Linear MLP, shared_experts.gate/up/down_proj, added without a gate). The "
            "router (Ernie4_5_MoeTopKRouter) is a bare fp32 weight parameter, softmax scores, top-k chosen with a "
            "correction bias (moe_statics, a frozen fp32 parameter), weights renormalised. Interleaved RoPE, no "
            "QK-norm, tied embeddings. The checkpoint stores one tensor per expert, stacked at load; its "
            "multi-token-prediction weights (mtp*) are dropped at load."
        ),
    ),
    Family(
        model_type="dots1",
        architecture="Dots1ForCausalLM",
        decoder_layer="Dots1DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        notes=(
            "dots.llm1 (rednote-hilab): a pre-norm block without biases; the first first_k_dense_replace layers "
            "have a dense MLP (gate/up/down_proj), the others fused routed experts plus n_shared_experts shared "
            "experts of the routed width (one nn.Linear MLP, shared_experts.gate/up/down_proj, added without a "
            "gate). The router (Dots1TopkRouter, DeepSeek-V3's) is a bare weight parameter scored by sigmoid in "
            "fp32, with a per-expert score-correction bias buffer, grouped top-k, and routed_scaling_factor. "
            "Per-head QK-norm (Qwen3's attention), full RoPE, untied head. Sliding layers only past "
            "max_window_layers (none as released). The checkpoint stores one tensor per expert, stacked at load."
        ),
    ),
    Family(
        model_type="cohere2_moe",
        architecture="Cohere2MoeForCausalLM",
        decoder_layer="Cohere2MoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        tie_word_embeddings=True,
        notes=(
            "Cohere2-MoE (North Mini Code): Command R7B's parallel block (one norm a layer feeding attention and "
            "MLP, both added to the residual: an RMSNorm where rms_norm_eps is set, else CohereLayerNorm) and its "
            "interleave (sliding-window layers with RoPE, global ones without, from layer_types), no biases, no "
            "QK-norm, tied embeddings, logit_scale. The first first_k_dense_replace layers (read into mlp_layer_types) "
            "have a dense SwiGLU MLP of prefix_dense_intermediate_size (their attention keeps RoPE); the others fused "
            "routed experts of intermediate_size (Mixtral's expert module) under a bare-parameter router, top-k of "
            "the raw logits then softmax or sigmoid (expert_selection_fn), plus num_shared_experts shared experts as "
            "one nn.Linear MLP averaged or summed with the routed output. Unlike Cohere2Config, head_dim is taken "
            "from config.json. The checkpoint stores one tensor per expert, stacked at load (Qwen2-MoE's pattern)."
        ),
    ),
    Family(
        model_type="exaone_moe",
        architecture="ExaoneMoeForCausalLM",
        decoder_layer="ExaoneMoeDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        notes=(
            "K-EXAONE (LG): a pre-norm block (two RMSNorms) without biases, EXAONE 4.0's attention (per-head "
            "QK-norm, sliding-window layers with RoPE and global ones without, from layer_types or "
            "sliding_window_pattern). Layers listed dense in mlp_layer_types (the first first_k_dense_replace) "
            "have a SwiGLU MLP; the others fused routed experts under a bare-parameter sigmoid router with a "
            "score-correction bias, plus num_shared_experts shared experts as one nn.Linear MLP added without a "
            "gate. Untied head. The checkpoint stores one tensor per expert, stacked at load (Qwen2-MoE's "
            "pattern); its multi-token-prediction weights are not built by transformers."
        ),
    ),
    Family(
        model_type="afmoe",
        architecture="AfmoeForCausalLM",
        decoder_layer="AfmoeDecoderLayer",
        attention_modules=("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj"),
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.router.gate",
        gate_modules=("gate",),
        axolotl_attention_kernels=False,
        notes=(
            "AFMoE (Arcee Trinity): a norm before and after both attention and MLP (four RMSNorms a layer, kept in "
            "fp32 at load), attention with per-head QK-norm and a sigmoid output gate (self_attn.gate_proj, "
            "hidden -> heads x head_dim, an nn.Linear that shares its name with the MLP's gate_proj), sliding-window "
            "layers with RoPE and global ones (every global_attn_every_n_layers-th) without. The first "
            "num_dense_layers layers have a SwiGLU MLP; the others fused routed experts under an nn.Linear router "
            "(mlp.router.gate, quantized by bitsandbytes) scored by sigmoid with a frozen expert bias, weights "
            "renormalised and scaled by route_scale, plus num_shared_experts shared experts as one nn.Linear MLP "
            "added without a gate. muP embedding scaling where mup_enabled. Untied head. transformers converts the "
            "checkpoint with Qwen2-MoE's pattern (one tensor per expert, stacked at load), so PEFT 0.21 moves "
            "gate_proj / up_proj / down_proj targets onto the routed experts, the attention gate's name with them. "
            "Axolotl 0.19's LoRA attention kernels cannot rewrite its attention (Original QKV code not found), so the "
            "YAML switches them off."
        ),
    ),
    Family(
        model_type="flex_olmo",
        architecture="FlexOlmoForCausalLM",
        decoder_layer="FlexOlmoDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        notes=(
            "FlexOlmo: OLMoE's sparse block (fused experts, a bare-parameter softmax top-k router, no shared "
            "expert) in every layer, under OLMo 2's block: no pre-norm, the attention and MLP outputs "
            "RMS-normalised, QK-norm over the whole q and k projections. The checkpoint stores one tensor per "
            "expert, stacked at load. Unlike OLMoE the class accepts flex_attention."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="minimax_m2",
        architecture="MiniMaxM2ForCausalLM",
        decoder_layer="MiniMaxM2DecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=(),
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        router_module="mlp.gate",
        notes=(
            "MiniMax-M2: a pre-norm block, every layer sparse (fused experts, no shared expert); the router "
            "(MiniMaxM2TopKRouter) is a bare weight parameter scored by sigmoid, with a per-expert score-correction "
            "bias buffer. QK-norm over the whole q and k projections, RoPE on half of each head, full attention "
            "in every layer. The checkpoint stores one tensor per expert (w1/w2/w3 under block_sparse_moe), "
            "stacked at load; its multi-token-prediction modules are not built by transformers."
        ),
        axolotl_attention_kernels=False,
    ),
    Family(
        model_type="solar_open",
        architecture="SolarOpenForCausalLM",
        decoder_layer="SolarOpenDecoderLayer",
        attention_modules=_LLAMA_ATTN,
        mlp_modules=_LLAMA_MLP,
        min_modules=_QV,
        attn_implementations=_ALL_ATTN,
        expert_layout="fused",
        expert_parameters=_FUSED_EXPERTS,
        experts_quantized=_BNB_SKIPS_EXPERTS,
        peft_moves_mlp_targets=True,
        router_module="mlp.gate",
        notes=(
            "Solar Open (Upstage): a pre-norm GQA block without biases, every layer sparse (the class builds no "
            "dense layer, whatever first_k_dense_replace says): fused routed experts plus n_shared_experts shared "
            "experts of the routed width (one nn.Linear MLP, shared_experts.gate/up/down_proj, added without a "
            "gate). The router (SolarOpenTopkRouter, GLM-4.5's) is a bare weight parameter scored by sigmoid in "
            "fp32, with a per-expert score-correction bias buffer (fp32), grouped top-k, renormalised weights and "
            "routed_scaling_factor. No QK-norm, full RoPE, untied head. The checkpoint stores one tensor per "
            "expert, stacked at load."
        ),
    ),
)

BY_TYPE: Mapping[str, Family] = MappingProxyType({f.model_type: f for f in FAMILIES})


class UnknownFamily(InputError):
    """A ``model_type`` with no family record."""


def family_of(model_type: str) -> Family:
    """The family record of a ``config.json`` ``model_type``; raises UnknownFamily naming the known ones."""
    key = model_type.strip().lower()
    if key in BY_TYPE:
        return BY_TYPE[key]
    close = difflib.get_close_matches(key, list(BY_TYPE), n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownFamily(
        f"model_type {model_type!r} has no family record in ftguide{hint} (known: {', '.join(BY_TYPE)})"
    )
