"""Peak GPU memory of a LoRA / QLoRA training process, from the model's architecture.

The figure predicted is what ``nvidia-smi`` shows for the process at its worst moment: PyTorch's peak
reserved memory plus the CUDA context.  It is the sum of one term per component, each a formula over the
architecture (:class:`~ftguide.catalog.Architecture`) and the profile.  The byte counts that depend on how a
training stack runs (how much of a layer it keeps for the backward pass, what its loss keeps of the logits,
how much its allocator holds back) are coefficients measured on a real GPU by ``calibration/`` and stored in
``ftguide/data/memory_calibration.json``; each framework has its own, because each one's training path costs
differently.  Without that file the first-principles values below are used.

Notation: b micro-batch, s sequence length, t = b*s tokens, h hidden size, I intermediate size, L layers,
V vocabulary, q = heads*head_dim, kv = kv_heads*head_dim, r LoRA rank, E experts, k experts per token,
H attention heads.

Two family traits change the physics, and each has its own term (measured on the H200, see
``calibration/REPORT.md``):

* Mixture-of-experts models whose experts are fused 3-D parameters (transformers 5.x: Mixtral, Qwen3-MoE,
  gpt-oss).  bitsandbytes quantizes only ``nn.Linear``, so under 4-bit or 8-bit the experts and the router
  stay in 16-bit, and PEFT's ``prepare_model_for_kbit_training`` then casts them to fp32 like every other
  16-bit parameter: they are priced with the unquantized weights, not with the quantized ones.
* Eager attention (Gemma-2 and gpt-oss refuse SDPA): every layer keeps its b x H x s x s score matrices
  for the backward pass (:func:`eager_score_bytes`).

Where a term's form is not obvious from the code it prices, it was read off allocator traces of the rendered
scripts on the H200 (``calibration/memtrace.py``: the blocks alive at the peak and the line that allocated
each); the docstrings and comments below say "traced" where that is so.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

from ftguide.catalog import DOWN_PROJECTIONS, GATED_ATTENTION, GATED_QUERY, Architecture
from ftguide.models import MemoryEstimate, Profile

GIB = 1024**3

#: NF4 storage: 4 bits per weight, one absmax per 64-weight block.  With double quantization the absmax is
#: itself stored in 8 bits, with one fp32 constant (and offset) per 256 blocks.
NF4_BLOCK = 64
NF4_DQ_BLOCK = 256
NF4_BYTES_DQ = 0.5 + 1 / NF4_BLOCK + 8 / (NF4_BLOCK * NF4_DQ_BLOCK)
NF4_BYTES = 0.5 + 4 / NF4_BLOCK


@dataclass(frozen=True)
class Coefficients:
    """How one framework's training path spends memory, per unit of the architecture's terms.

    Activation terms are bytes per unit of their feature (see :func:`features`); ``_quant`` variants apply
    when the base is quantized (PEFT then keeps the residual stream in fp32, since it upcasts the
    embeddings), ``_16bit`` ones to a bf16 base.  ``act``: a layer's saved activations without
    checkpointing; ``dropout``: what LoRA dropout adds; ``ckpt``: what each checkpointed layer keeps;
    ``recompute``: the one layer rebuilt in the backward pass; ``logits``: logits, loss and their gradients;
    ``fixed_gib``: what the allocator and libraries hold regardless; ``context_gib``: the CUDA context;
    ``upcast``: bytes per parameter of the layers left unquantized when the base is quantized (4 when cast to
    fp32); ``eager``: multiplier on the score matrices eager attention keeps (:func:`eager_score_bytes`, in
    bytes from the autograd graph); ``expert_copy``: bytes per parameter of one layer's fused experts that
    the grouped matmul copies when they are fp32 (PEFT with a quantized base), or that Unsloth dequantizes its
    4-bit experts to; ``moe_kept``: multiplier on the routed-expert activations of every layer that Unsloth
    keeps despite checkpointing; ``safety``: a final
    multiplier on everything but the context, set from the calibration so that runs are not under-estimated.
    """

    act_quant: float = 1.0
    act_16bit: float = 1.0
    linear_mixer: float = 1.0
    act_8bit: float = 2.3
    head_quant: float = 0.0
    load_transient: float = 4.0
    dropout: float = 1.0
    ckpt_quant: float = 4.0
    ckpt_16bit: float = 2.0
    recompute: float = 1.0
    recompute_quant: float = 1.0
    """``recompute`` for a quantized base on PEFT's path, where the recomputed layer runs in fp32."""
    recompute_fast: float = 1.0
    """``recompute`` on Unsloth's hand-written fast path (:data:`UNSLOTH_FAST_PATH`), whose fused kernels rebuild a
    layer with fewer saved tensors than transformers' modules that FastModel compiles."""
    logits: float = 12.0
    logits_softcap: float = 0.0
    """Extra bytes per logit element when the model soft-caps its final logits (Gemma-2), on paths that
    materialise the logits (Axolotl's)."""
    logits_chunked: float = 0.0
    """Bytes per logit element in place of ``logits`` (and ``logits_softcap``) when the profile's
    ``chunked_cross_entropy`` is on: Axolotl then upcasts and reduces the logits one chunk at a time.  0 on
    paths without that option."""
    fixed_gib: float = 0.3
    context_gib: float = 0.9
    upcast: float = 4.0
    hidden: float = 0.0
    hidden_gc: float = 0.0
    """``hidden`` with gradient checkpointing on and a quantized base (PEFT's path)."""
    hidden_gc16: float = 0.0
    """``hidden`` with gradient checkpointing on and a 16-bit base (PEFT's path)."""
    hidden_16bit: float = 0.0
    """``hidden`` without checkpointing and with a 16-bit base (PEFT's path)."""
    transient: float = 0.0
    """Multiplier on what a run without checkpointing holds only at its peak (:func:`peak_transient_bytes`)."""
    recompute_peak: float = 0.0
    """Multiplier on what the recomputed 16-bit layer holds only at its peak (:func:`recompute_peak_bytes`)."""
    attn_mask: float = 0.0
    """Multiplier on the attention masks the model builds (:func:`attention_mask_bytes`; PEFT's path)."""
    eager: float = 1.0
    expert_copy: float = 3.0
    moe_kept: float = 0.0
    moe_kept_last: float = 0.0
    """Multiplier on what the last MoE layer keeps on FastModel's checkpointed path (``moe_kept`` prices the others):
    its backward, where the peak lies, frees part of it first (fitted)."""
    loss_chunk: float = 0.0
    """Multiplier on Unsloth's fused-loss tile (1024 x V in bf16) where the peak is in the loss."""
    slack: float = 0.0
    """Multiplier on :func:`reserved_slack` (PEFT's path; 1: the measured ratios are in that function)."""
    dequant: float = 0.0
    """Copies of the largest quantized weight dequantized to bf16 at the peak (:func:`dequant_bytes`; Unsloth's fast
    path in 4-bit)."""
    outside_gc: float = 0.0
    """Bytes per token and hidden unit outside the recomputed layer with Unsloth's offloaded checkpointing."""
    fastmodel_mlp: float = 0.0
    """Multiplier on what FastModel's compiled MLP backward holds beside the priced layer (``6I`` per token)."""
    act_fastmodel: float = 1.0
    """Multiplier on what FastModel's compiled layers keep without checkpointing (:func:`fastmodel_activation_bytes`;
    priced from traces, not fitted; only Unsloth's path has the feature)."""
    safety: float = 1.05
    source: str = "first-principles defaults (not calibrated)"


DEFAULTS: dict[str, Coefficients] = {
    # recompute_quant and hidden_gc: read off allocator traces of the H200 (calibration/memtrace.py): the
    # recomputed fp32 layer's working set was 0.76-0.87 of its priced bytes (Llama-3.2-3B, Qwen2.5-7B and
    # Qwen3-8B shapes), and what lies outside the layers 12.8-13.3 bytes per token and hidden unit.  The bf16
    # recomputed layer is priced the same way, and each bf16 checkpoint is its 2-byte layer input.
    # The bf16 recomputed layer holds 1.10-1.14 of its priced bytes beside the transients of
    # recompute_peak_bytes, and 7-10 bytes per token and hidden unit lie outside the layers (Llama-3.1-8B,
    # Mistral-7B, Granite-3.3-8B and Gemma-3-270m shapes); each bf16 checkpoint is its 2-byte layer input.
    "peft": Coefficients(
        slack=1.0,
        recompute_quant=0.8,
        recompute=1.1,
        ckpt_16bit=2.0,
        hidden_gc=13.0,
        hidden_gc16=9.0,
        recompute_peak=1.0,
        attn_mask=1.0,
        transient=1.0,
    ),
    "axolotl": Coefficients(),
    # Unsloth: fused chunked cross-entropy (no full logits), checkpoints offloaded to CPU, no fp32 upcast (so no
    # cast transient at load), its own expert kernels.
    "unsloth": Coefficients(
        ckpt_quant=0.0,
        ckpt_16bit=0.0,
        logits=2.0,
        upcast=2.0,
        load_transient=0.0,
        # One layer's gate/up experts dequantized to bf16 (2 of its 3 matrices, 2 bytes): traced on the H200.
        expert_copy=4.0 / 3.0,
        moe_kept=1.0,
        moe_kept_last=1.0,
        loss_chunk=1.0,
        # Traced on the H200 (calibration/results/traces3.jsonl, traces4.jsonl): see dequant_bytes and features.
        dequant=2.0,
        outside_gc=10.0,
        fastmodel_mlp=1.0,
    ),
}


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    """The committed calibration (coefficients per framework), or an empty dict when none is shipped."""
    try:
        text = resources.files("ftguide").joinpath("data/memory_calibration.json").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return {}
    data: dict[str, Any] = json.loads(text)
    return data


def coefficients(framework: str) -> Coefficients:
    groups = calibration().get("frameworks", {})
    if framework in groups:
        return Coefficients(**groups[framework])
    return DEFAULTS[framework]


# ------------------------------------------------------------------------------------------- the terms


def fused_experts(arch: Architecture) -> bool:
    """Whether the MoE experts are fused 3-D parameters, which bitsandbytes does not quantize.

    transformers 5.x stores the experts of Mixtral, Qwen3-MoE and gpt-oss as ``gate_up_proj`` / ``down_proj``
    tensors of shape (E, ...) and the router as a bare parameter; none is an ``nn.Linear``.  The catalog
    marks this by listing no MLP modules for an MoE model (PEFT cannot target them by module name).  An
    ``expert_layout`` field on the architecture, where present, decides instead.
    """
    layout = getattr(arch, "expert_layout", None)
    if layout is not None:
        return bool(layout == "fused")
    if arch.num_experts and (arch.shared_expert_intermediate_size or arch.dense_layers):
        return True  # the MLP modules named are the shared expert's and the dense layers'
    return bool(arch.num_experts) and not arch.mlp_modules


def expert_params(arch: Architecture) -> int:
    """Parameters of the fused experts and the router: ``L * (3*h*I*E + h*E)`` over the MoE layers (0 for dense
    models)."""
    if not fused_experts(arch) or not arch.num_experts:
        return 0
    h, i, e = arch.hidden_size, arch.intermediate_size, arch.num_experts
    return arch.moe_layers * (3 * h * i * e + h * e)


#: Unsloth's 4-bit MoE load peak beyond the model, in bytes per parameter of one layer's experts (measured on
#: the H200 with 2 and 4 layers: Mixtral 2.89, Qwen3-MoE 3.72, gpt-oss 1.53; with one layer of the larger
#: Mixtral-8x22B, Qwen3-235B-A22B and gpt-oss-120b: 2.81, 3.65, 1.71).  Families whose experts Unsloth leaves
#: in 16-bit showed no such transient (OLMoE, measured).  Mistral Small 4 (mistral4, unmeasured) is not here: its
#: checkpoint stores the experts fused, so its 4-bit load is priced as the fused default, gpt-oss's.
_UNSLOTH_EXPERT_LOAD = {"mixtral": 2.9, "qwen3_moe": 3.7, "gpt_oss": 1.7}
#: Families whose per-expert checkpoints transformers stacks with Mixtral's pattern (w1/w3/w2 under
#: block_sparse_moe: conversion_mapping.py, ``"minimax_m2": "mixtral"`` and the phimoe entry); the other per-expert
#: families use Qwen2-MoE's.  Measured Unsloth 4-bit load: Mixtral 2.8-2.9, Phi-3.5-MoE 2.8, MiniMax-M2 2.8 bytes
#: per parameter of one layer's experts.
_MIXTRAL_PATTERN = frozenset({"mixtral", "phimoe", "minimax", "minimax_m2"})
#: Families Unsloth 2026.10 runs through its own hand-written model code (``FastLlamaModel`` and its kin:
#: ``unsloth/models/loader.py`` dispatches these model types); every other family goes through ``FastModel``,
#: transformers' modules compiled by unsloth_zoo.  Only the fast path caches RoPE tables (its own rotary
#: class).  A per-layer factor for FastModel was tried and dropped: Phi-3 wanted 1.35, the held-out FastModel
#: families (Granite, OLMo-2, SmolLM3, Phi-4) less than 1 (calibration/REPORT.md).
UNSLOTH_FAST_PATH = frozenset({"llama", "mistral", "gemma", "gemma2", "qwen2", "qwen3"})


#: MoE families whose modeling code runs every token through every expert: Llama 4's ``Llama4TextMoe`` repeats the
#: hidden states once per expert, scales each copy by its router score (0 for the experts not chosen) and runs the
#: experts as one batched matmul over all of them (transformers 5.23 modeling_llama4.py ``Llama4TextMoe.forward``,
#: ``Llama4TextExperts.forward``), so a layer's routed tensors are E copies of the token, not k.
_DENSE_ROUTED = frozenset({"llama4_text"})


def routed_copies(arch: Architecture, framework: str = "peft") -> int:
    """How many copies of each token an MoE layer's routed experts compute on: k, or E for ``_DENSE_ROUTED``.

    Unsloth replaces Llama 4's MoE forward with a top-k one over its grouped-matmul experts
    (unsloth_zoo/temporary_patches/llama4_moe.py: ``torch.topk``, ``n_tokens x k`` routed rows; seen on the H200 after
    round 10, the experts given ``n_tokens x 1`` rows), so on its path the copies are k.
    """
    if arch.model_type in _DENSE_ROUTED and framework != "unsloth":
        return arch.num_experts or 1
    return arch.num_experts_per_tok or 1


def unsloth_fast_path(arch: Architecture) -> bool:
    return arch.model_type in UNSLOTH_FAST_PATH


def estimate_caveat(arch: Architecture, framework: str) -> str | None:
    """What the estimate cannot judge well for this family on ``framework``'s path, or None.

    Unsloth's ``FastModel`` (every family outside ``UNSLOTH_FAST_PATH``) was under-estimated on the H200 on rounds of
    families never fitted, before the terms their traces led to (round 6 by up to 34%, round 8 by up to 13%), and
    over-estimated on others (round 13 by up to 35%); with each family left out of the fit, rounds 6-12 were 3-5%
    off at the median and up to 16% either way (calibration/REPORT.md).  Its fused loss sizes its chunks from the
    memory left free (up to half of it, at most 4 GiB: unsloth_zoo ``get_chunk_size``), so the peak also depends
    on what else the card holds.
    """
    if framework == "unsloth" and not unsloth_fast_path(arch):
        unmeasured = (
            f"; no Unsloth run of {arch.model_type} has been measured (its terms are the other MoE families')"
            if arch.model_type in _UNMEASURED_ON_UNSLOTH
            else ""
        )
        return (
            f"Unsloth trains {arch.model_type} through FastModel, whose memory the estimate knows least: on the H200, "
            "with each family left out of the fit, it was 3-5% off at the median and up to 16% off either way "
            f"(calibration/REPORT.md, rounds 6-12){unmeasured}; keep more head-room"
        )
    return None


#: Catalog families with no Unsloth run measured on the H200.  None now: AFMoE's two round-20 runs, cut off by one
#: session's device time, ran in the next (calibration/results/round20-heldout.jsonl), and every family added since
#: ran on Unsloth before it was committed.
_UNMEASURED_ON_UNSLOTH: frozenset[str] = frozenset()


def dequant_bytes(arch: Architecture, profile: Profile, framework: str) -> float:
    """One bf16 copy of the largest quantized decoder weight, ``2 * max(in * out)``; 0 off Unsloth's 4-bit fast path.

    Unsloth's fused LoRA MLP backward dequantizes the up and gate weights into fresh tensors
    (``unsloth/kernels/fast_lora.py:563`` ``fast_dequantize(upW.t(), ...)``, allocated at ``kernels/nf4.py:410``)
    while the persistent scratch buffer ``_SCRATCH[("weight", device)]`` (``kernels/utils.py:650-657``) keeps the
    largest weight ever dequantized.  Traced at the training peak: 2.00 of these copies in
    tr-h2-unsloth-qwen3-4b-L8-0 and tr-h4-unsloth-qwen3-32b-L2-0 (0.49 GiB), one at the forward peaks of
    tr-unsloth-mistral-0 and tr-unsloth-qwen3-0.  A per-layer constant, not per token: 3.25 GiB for a
    16384 x 53248 MLP.  FastModel families dequantize through bitsandbytes inside compiled code, and no such
    block is alive at their peaks (tr-h2-unsloth-phi-4-L2-0).
    """
    if framework != "unsloth" or profile.quantization != "4bit" or not unsloth_fast_path(arch):
        return 0.0
    return 2.0 * max(fan_in * fan_out for fan_in, fan_out, _ in arch.module_shapes().values())


#: Families whose published checkpoints store one tensor per expert, which transformers 5.x stacks into the
#: fused parameters while loading (its ``conversion_mapping``; gpt-oss and Granite-MoE checkpoints are fused
#: already).  FlexOlmo and MiniMax-M2 were added from that fact after round 6 had run without it (MiniMax-M2's
#: 16-bit load then peaked 2.7 bytes per parameter of its one layer's experts above the model, as the others').
#: Qwen2-MoE, Hunyuan-MoE, GLM-4.5 and ERNIE-4.5-MoE (transformers converts all four with Qwen2-MoE's pattern) were
#: reported so before round 8 ran and added after it had run without them (its PEFT 16-bit runs without
#: checkpointing then peaked at load, 10-18 % above the estimate).  Solar Open (conversion_mapping.py maps it to
#: qwen2_moe) was added from that fact before any run of it, and so was Cohere's North MoE (cohere2_moe, mapped the
#: same way), DeepSeek-V3 and GLM-4.7-Flash (deepseek_v3, glm4_moe_lite: both mapped to qwen2_moe).  Mistral Small 4
#: (mistral4) is not here, though built from DeepSeek-V3's classes: conversion_mapping.py has no entry for it and
#: its checkpoint (convert_mistral4_weight_to_hf.py) stores gate_up_proj / down_proj already stacked.
_PER_EXPERT_CHECKPOINT = frozenset(
    {
        "mixtral",
        "qwen3_moe",
        "olmoe",
        "phimoe",
        "flex_olmo",
        "minimax_m2",
        "qwen2_moe",
        "hunyuan_v1_moe",
        "glm4_moe",
        "ernie4_5_moe",
        "dots1",
        "solar_open",
        "cohere2_moe",
        "exaone_moe",
        "afmoe",
        "deepseek_v3",
        "glm4_moe_lite",
        "qwen3_5_moe_text",  # conversion_mapping.py: qwen3_5_text's prefix change plus qwen2_moe's (added unrun)
        # conversion_mapping.py maps qwen3_next to qwen2_moe, and the released Qwen3-Next-80B-A3B checkpoints store
        # mlp.experts.{0..511}.gate_proj / up_proj / down_proj (a stored listing of the Instruct's safetensors; added
        # unrun)
        "qwen3_next",
    }
)


def unquantized_expert_params(arch: Architecture, quantization: str, framework: str = "peft") -> int:
    """The fused expert parameters that a quantized run keeps in 16-bit (or fp32); 0 in a 16-bit run."""
    if quantization == "none":
        return 0
    if framework == "unsloth" and quantization == "4bit":
        # Unsloth quantizes the fused experts of every transformers-5 MoE family itself: unsloth_zoo
        # temporary_patches/moe_utils_bnb4bit.py:533-590 ``replace_expert_params_with_bnb_params`` swaps gate_up_proj
        # and down_proj for Params4bit on every experts module with transformers' generic forward (:502, layout check
        # :451), the class every fused family of transformers 5.23 uses.  Traced: tr-h6-unsloth-flexolmo-7x7b-1t-L2-0
        # (NF4 blocks at cuda/ops.py:392, 1.01 GB: attention and experts; the only 16-bit blocks are the embeddings,
        # loader.py:1092, 1.64 GB), tr-h6-unsloth-minimax-m2-L1-0 (the experts' NF4 stack at
        # moe_utils_bnb4bit.py:196/203 in training; loader.py:1092 = the embeddings, 2.29 GiB),
        # tr-h4-unsloth-phi-3.5-moe-L1-0 (cuda/ops.py:392: 0.650 GB = 16 x 3 x 4096 x 6400 experts and the attention
        # at 4 bits) and tr-h4-unsloth-granite-3.1-3b-a800m-L8-0 (cuda/ops.py:392: 0.403 GB for 8 x 40 experts).
        return 0
    return expert_params(arch)


def base_weight_bytes(arch: Architecture, quantization: str, framework: str = "peft") -> float:
    """Decoder-layer linear weights that the quantization path stores, in their storage dtype.

    ``P = L * (h*q + 2*h*kv + q*h + 3*h*I*experts)``; bytes = P * 2 (bf16), P * 1 + 4 * rows (int8 with
    fp32 row scales), or P * (0.5 + 1/64 + 8/(64*256)) (NF4 with double-quantized block constants).  Fused
    MoE experts and their router are not in P under 4-bit or 8-bit: bitsandbytes leaves them 16-bit, and
    :func:`unquantized_weight_bytes` prices them.
    """
    params = arch.decoder_linear_params()
    params -= unquantized_expert_params(arch, quantization, framework)
    if quantization == "4bit":
        return params * NF4_BYTES_DQ
    if quantization == "8bit":
        rows = arch.per_layer_sum(lambda a: sum(out * n for _, out, n in a.module_shapes().values()))
        return params + 4 * rows
    return params * 2.0


def unquantized_weight_bytes(
    arch: Architecture, quantization: str, coef: Coefficients, framework: str = "peft", upcast: bool = True
) -> float:
    """Embeddings, output head and norms, ``(V*h*(1 or 2) + (2L+1)*h) * bytes``, plus, with a quantized base,
    the fused MoE experts and router (:func:`expert_params`).

    They stay out of quantization; bf16 (2 bytes) in a 16-bit run, and ``coef.upcast`` bytes when the base
    is quantized (PEFT's ``prepare_model_for_kbit_training`` casts them to fp32: 4 bytes).  In a 16-bit run
    the experts are in :func:`base_weight_bytes` with the other decoder weights.  ``upcast=False`` (the
    profile's ``embeddings_upcast`` off: the script skips that cast) keeps them at 2 bytes.
    """
    params = arch.embedding_params() + (2 * arch.num_hidden_layers + 1) * arch.hidden_size
    experts = unquantized_expert_params(arch, quantization, framework)
    if quantization == "none":
        return (params + experts) * 2.0
    if framework == "axolotl":
        # Axolotl casts only the embeddings and LM head back to 16-bit after the fp32 upcast: the fused experts
        # stay fp32 while training (measured on the H200: Mixtral and gpt-oss in 4-bit).
        return params * (2.0 if not upcast else coef.upcast) + experts * 4.0
    return (params + experts) * (2.0 if not upcast else coef.upcast)


def upcasts(profile: Profile) -> bool:
    """Whether a quantized run casts its frozen 16-bit weights to fp32 (the profile's ``embeddings_upcast``)."""
    return profile.quantization != "none" and bool(getattr(profile, "embeddings_upcast", True))


def lora_params(arch: Architecture, profile: Profile) -> int:
    """Adapter parameters: ``L * sum over targets of r * (in + out) * copies``."""

    def per_layer(layer: Architecture) -> float:
        shapes = layer.module_shapes()
        total = 0
        for name in profile.target_modules:
            if name not in shapes and layer.linear_num_value_heads and name in layer.attention_modules:
                continue  # Qwen3.5: a full-attention name in a linear-attention layer, or the other way round
            fan_in, fan_out, copies = shapes.get(name, (layer.hidden_size, layer.hidden_size, 1))
            total += profile.lora_r * (fan_in + fan_out) * copies
        return total

    return int(arch.per_layer_sum(per_layer))


def optimizer_bytes_per_param(optimizer: str) -> float:
    """AdamW keeps two moments: fp32 (8 bytes) or 8-bit blockwise (2 bytes plus block constants)."""
    return 2.0 + 8 / 256 if "8bit" in optimizer else 8.0


def lora_state_bytes(arch: Architecture, profile: Profile) -> float:
    """Adapter weights and gradients in fp32 (4 + 4 bytes; PEFT upcasts adapters) plus optimizer moments."""
    return lora_params(arch, profile) * (8.0 + optimizer_bytes_per_param(profile.optimizer))


def layer_activation_bytes(arch: Architecture, framework: str = "peft") -> float:
    """Bytes one decoder layer saves for its backward pass, per token, at 2 bytes an element.

    ``12h`` for the two RMSNorms (fp32 statistics and bf16 outputs), ``4q + 4kv`` for rotated q, k, v and
    the attention output (SDPA keeps no s x s matrix; ``8q`` on PEFT's path, where grouped k and v are saved
    expanded to every query head), ``8I`` for the gate, up, activation and product of
    the MLP.  An MoE layer keeps instead its routed tensors (:func:`mlp_activation_bytes`: per path) plus the
    router's logits and probabilities in fp32 (``12E``).  Families with four norms per layer (Gemma-2 and 3
    normalize before and after attention and MLP) keep ``3h`` more per extra norm, half a norm's ``6h`` (traced
    on the H200: Gemma-2's four norms keep about 3.5 fp32 copies of the hidden state per layer, not 4 x 6h), and
    per-head q/k norms (Qwen3, Gemma-3) ``6 * (q + kv)``.
    """
    h = arch.hidden_size
    # Axolotl's fit was made pricing every norm at 6h; the traced half applies to the script paths.
    extra_norm = 1.0 if framework == "axolotl" else 0.5
    attention: float = 4 * arch.q_dim + 4 * arch.kv_dim
    if framework == "peft":
        # With a mask (a padded batch), transformers 5.23's SDPA and eager paths expand grouped k and v to every
        # query head (repeat_kv) and the attention saves the expanded copies (traced on the H200, Llama-3.1-8B:
        # two t x q blocks): q, k, v and the output are then 2q bytes each.
        attention = 8 * arch.q_dim
    attention *= attention_io_factor(arch)
    if arch.is_linear_attention:
        # Qwen3.5's Gated DeltaNet layers (no q/k norms, no output gate): transformers' PyTorch fallbacks on the
        # PEFT and Axolotl paths, Unsloth's bundled Triton kernels on its own (its recomputed layer).
        unsloth = framework == "unsloth"
        attention = unsloth_linear_attention_bytes(arch) if unsloth else linear_attention_bytes(arch)
    elif arch.model_type in GATED_QUERY:
        attention += 2 * arch.q_dim  # Qwen3.5's output gate: its sigmoid output (read from the code, untraced)
    norms = norms_per_layer(arch)
    norm_price = 0.0 if arch.model_type in _LAYER_NORM_1P and framework == "peft" else 6.0
    base = norm_price * h * (min(norms, 2) + extra_norm * max(norms - 2, 0)) + attention
    base += 6.0 * latent_width(arch)
    if qk_norm(arch) and not arch.is_linear_attention:
        base += 6 * (arch.q_dim + arch.kv_dim)
    if arch.model_type in GATED_ATTENTION:
        # AFMoE's gate (modeling_afmoe.py ``AfmoeAttention.forward``, read before any run): its sigmoid keeps its
        # output, t x q; the gated product that o_proj's LoRA reads is priced as the attention output.
        base += 2 * arch.q_dim
    base += mlp_activation_bytes(arch, framework) + (12 * arch.num_experts if arch.num_experts else 0)
    return float(base)


def linear_attention_bytes(arch: Architecture, fp32: bool = False) -> float:
    """Per token, what one Gated DeltaNet layer's token mixer saves for the backward (Qwen3.5), in place of the
    attention's q, k, v and output, on transformers 5.23's PyTorch fallbacks.

    The PEFT script's stack (``versions.TARGET_VERSIONS["peft"]``: transformers, PEFT, TRL, datasets, accelerate,
    bitsandbytes) has neither flash-linear-attention nor causal-conv1d, so the layer runs ``torch_causal_conv1d_fn``
    and ``torch_chunk_gated_delta_rule`` (chunks of C = 64; Unsloth's path does not:
    :func:`unsloth_linear_attention_bytes`).  Traced with autograd's saved-tensor hooks on the CPU under bf16 autocast
    (``calibration/linear_mixer_trace.py``, ``results/linear-mixer-trace.json``: three sets of widths, the slope over
    256-2048 tokens, matched to the byte), with ``W = 2K + V`` the conv width (K = key heads x key head dim, V = value
    heads x value head dim), ``K' = Hv x dk`` the keys repeated to every value head, Hv value heads:
    - the conv's input and its SiLU's input, autocast's bf16: ``4W``;
    - queries and keys: the fp32 copies before and after the L2 norm, ``k * beta`` and the solved ``k_cumdecay``
      (24 bytes), and the bf16 copies autocast makes for each matmul that reads them, the decayed ones included
      (14 bytes): ``38K'``;
    - the fp32 value and solved new values, the two bf16 copies of each chunk's ``v_new``, and the gated RMSNorm
      (its fp32 input, the weighted bf16 output, the fp32 z and SiLU(z)): ``26V`` (``28V`` when the layer's input
      is fp32, under PEFT's upcast);
    - per head and chunk the fp32 decay, the two bf16 products and the fp32 UT system, the bf16 intra-chunk
      attention: ``14 x Hv x C``;
    - the recurrent state at every chunk boundary, fp32 and two bf16 copies, ``8 x Hv x dk x dv`` per C tokens;
    - beta, the decay and the norms' per-head statistics: ``34 Hv``.
    Qwen3-Next's mixer (``Qwen3NextGatedDeltaNet``: its input projections fused as ``in_proj_qkvz`` and
    ``in_proj_ba``, the q/k/v views concatenated before the conv, z copied out of the fused output) saves the same
    tensors: traced the same way (``--family qwen3_next``, rows marked so) at the three widths and the 80B's own
    (hidden 2048, 16 key / 32 value heads of 128: 390,210 bytes a token, 398,402 with an fp32 input), every count
    equal to Qwen3.5's to the byte (the frozen projections save nothing; the concatenation and the copies of z
    feed only tensors priced above).  For both the price is ``Hv / 16`` bytes a token under the slope (4 bytes a
    head a chunk, left out: 2 of 390,210 at those widths).  Priced at its own unfitted coefficient
    (``linear_mixer``) on the PEFT path: under the softmax-attention layers' fitted ``act_16bit`` (0.72) Qwen3.5's
    16-bit runs without checkpointing came out 6-12 % under (round 23).
    """
    k, v, heads = arch.linear_key_dim, arch.linear_value_dim, arch.linear_num_value_heads
    expanded, conv, chunk = heads * arch.linear_key_head_dim, 2 * k + v, 64
    state = 8 * heads * arch.linear_key_head_dim * arch.linear_value_head_dim / chunk
    kept = 4 * conv + 38 * expanded + (28 if fp32 else 26) * v + 14 * heads * chunk + state
    return float(kept + 34 * heads)


def mixer_bytes(arch: Architecture, fp32: bool = False) -> float:
    """Per token, what a layer's Gated DeltaNet mixer saves (:func:`linear_attention_bytes`); 0 for any other layer."""
    return linear_attention_bytes(arch, fp32=fp32) if arch.is_linear_attention else 0.0


def unsloth_linear_attention_bytes(arch: Architecture) -> float:
    """Per token, what one Gated DeltaNet layer's token mixer keeps on Unsloth's path (Qwen3.5), in place of the
    attention's q, k, v and output; read from Unsloth 2026.10.9 / unsloth_zoo 2026.10.9's code, never traced.

    Unsloth does not run transformers' PyTorch fallbacks: unsloth_zoo bundles flash-linear-attention 0.5.1
    (``temporary_patches/fla_vendor.py``: injected as ``fla`` on CUDA with torch >= 2.7 and triton >= 3.3, then
    transformers' hub wrapper binds ``fla.chunk_gated_delta_rule``) and a Triton causal depthwise conv
    (``temporary_patches/gdn_causal_conv1d.py``).  On bf16 each decoder layer compiles as one region
    (``unsloth/models/_block_compile.py`` ``patch_block_compile``, off only under forced float32, i.e. fp16), whose
    chunk op is ``unsloth::qwen3_5_gdn_chunk`` (``unsloth/models/_gdn_op.py``, self-checked bit-equal to fla's
    ``ChunkGatedDeltaRuleFunction``) and whose conv is ``_causal_depthwise_conv``.  Either way the chunked rule
    (chunks of 64) saves what fla's Function does (``_gdn_op.py`` ``_gdn_chunk_setup``; fla ``chunk.py``
    ``save_for_backward``), with ``W = 2K + V`` the conv width, ``K' = Hv x dk`` the keys repeated to every value
    head (transformers repeats them before the call), Hv value heads:
    - the conv's bf16 input (the Triton conv saves ``x`` and recomputes SiLU in its backward): ``2W``;
    - L2-normed queries and keys in bf16 (``4K'``), the bf16 value (``2V``), their fp32 inverse norms (``8 Hv``),
      the fp32 cumulative decay (``4 Hv``), bf16 beta (``2 Hv``) and the bf16 intra-chunk system ``A`` (64 per
      head: ``128 Hv``) -- no per-chunk recurrent state (the backward recomputes it);
    - the decay's fp32 softplus input (``4 Hv``);
    - the gated RMSNorm, compiled: its bf16 input and gate z and the normed output out_proj's LoRA reads (``6V``)
      and an fp32 inverse norm per head (``4 Hv``), assuming inductor recomputes its fp32 intermediates.
    The full-attention layers keep what FastModel's compiled attention does (:func:`fastmodel_layer_bytes`).
    Qwen3-Next (qwen3_next, also handed to FastModel) is priced the same, unrun: the bundled kernels are bound into
    its modeling module too (``fla_vendor.py`` ``_REPAIR_MODELING``, ``gdn_causal_conv1d.py`` ``_GDN_MODELING``), and
    the block compile routes any decoder layer holding a ``linear_attn`` through the same chunk op; what inductor
    keeps of its fused projections' output (a concatenation, a copy of z) is not traced.
    """
    k, v, heads = arch.linear_key_dim, arch.linear_value_dim, arch.linear_num_value_heads
    expanded, conv = heads * arch.linear_key_head_dim, 2 * k + v
    return float(2 * conv + 4 * expanded + 8 * v + (8 + 4 + 2 + 128 + 4 + 4) * heads)


def layer_activation_bytes_fp32(arch: Architecture) -> float:
    """Per token, what one decoder layer of a quantized PEFT run saves when its residual stream is fp32.

    PEFT's fp32 upcast of a quantized base makes the residual stream fp32, and bitsandbytes returns each
    projection in its input's dtype, so the layer's tensors are fp32, priced term by term (traced on the H200,
    4-bit without checkpointing: Qwen2.5-3B, SmolLM2-360M, Gemma-2-27B, Mixtral and Qwen3-MoE shapes):
    - each norm saves its fp32 input, ``4h`` (its statistics are per token); per-head q/k norms ``4(q + kv)``;
    - attention, ``9q``: the rotated fp32 queries and the bf16 copies autocast makes for SDPA of q, the
      expanded k and v, and the output;
    - a dense MLP, ``12I``: the fp32 gate and up outputs and the activation (the product feeds a frozen
      projection, which saves nothing); routed, per copy of the token ``12I + 6h`` (the gathered and sorted
      hidden states and the weighted output beside the gate/up output), plus the router's ``12E``.
    """
    h = arch.hidden_size
    base = (2.0 if arch.model_type in _LAYER_NORM_1P else 4.0) * h * norms_per_layer(arch)
    if arch.is_linear_attention:
        base += linear_attention_bytes(arch, fp32=True)  # Qwen3.5's Gated DeltaNet layers
    else:
        base += 9.0 * arch.q_dim * attention_io_factor(arch) + 4.0 * latent_width(arch)
        base += 4.0 * arch.q_dim if arch.model_type in GATED_QUERY else 0.0  # Qwen3.5's output gate, fp32
    if qk_norm(arch) and not arch.is_linear_attention:
        base += 4.0 * (arch.q_dim + arch.kv_dim)
    if arch.model_type in GATED_ATTENTION:
        base += 4.0 * arch.q_dim  # the gate's sigmoid output in fp32 (its projection returns its input's dtype)
    if arch.num_experts:
        k = routed_copies(arch)
        # Llama 4's batched experts (``_DENSE_ROUTED``) save per copy the repeated and the score-scaled inputs,
        # the gate/up output, the activation and the product (modeling_llama4.py): 2h + 4I, fp32 here.
        per_copy = 16.0 * arch.intermediate_size + 8.0 * h if arch.model_type in _DENSE_ROUTED else None
        base += k * (per_copy or 12.0 * arch.intermediate_size + 6.0 * h) + 12.0 * arch.num_experts
        base += 12.0 * arch.shared_expert_intermediate_size + (8.0 * h if arch.shared_expert_gate else 0.0)
    elif arch.gated_mlp:
        base += 12.0 * arch.intermediate_size
    else:
        base += ungated_activation(arch).saved_fp32 * arch.intermediate_size
    return float(base)


def peak_transient_bytes(arch: Architecture, profile: Profile) -> float:
    """Per token, what a PEFT run without checkpointing holds only at its worst moment, beside every layer's
    saved tensors (traced on the H200).

    The larger of: the forward's cast of the widest adapted module's input to the adapters' fp32
    (:func:`recompute_peak_bytes`; a 16-bit base: with an fp32 residual stream the cast is a no-op), and the
    backward of the last layer's MLP, the gradients of its gate, up and activation outputs (``3 x I``
    elements, ``k x I`` routed) in the layer's dtype.
    """
    width = 4.0 if upcasts(profile) else 2.0
    inner = routed_copies(arch) * arch.intermediate_size + arch.shared_expert_intermediate_size
    if arch.dense_layers:
        inner = max(inner, arch.dense_intermediate_size)
    if arch.gated_mlp:
        backward = 3.0 * width * inner
    else:
        activation = ungated_activation(arch)
        backward = (activation.backward_fp32 if upcasts(profile) else activation.backward) * inner
    if upcasts(profile):
        return backward
    return max(backward, recompute_peak_bytes(arch, profile))


#: Families with a norm before and after both attention and MLP (four per decoder layer, not two).
_SANDWICH_NORMS = frozenset({"gemma2", "gemma3", "gemma3_text", "glm4", "afmoe"})
#: Families that RMS-normalize their queries and keys: every head's (Qwen3, Gemma-3, EXAONE-4) or the whole
#: projection's (the OLMo families, MiniMax-M2: the same saved tensors, q + kv wide).  The OLMo families and
#: MiniMax-M2 were added from their modeling code after round 6 had run without them, Hunyuan-MoE (reported before
#: round 8) after round 8; dots.llm1 before round 9.  GLM-4.5 normalizes only where ``use_qk_norm`` is set (not
#: GLM-4.5-Air), which the shape model does not read: not priced.
_QK_NORM = frozenset(
    {
        "qwen3",
        "qwen3_moe",
        "gemma3",
        "gemma3_text",
        "exaone4",
        "olmo2",
        "olmo3",
        "olmoe",
        "flex_olmo",
        "minimax_m2",
        "hunyuan_v1_moe",
        "dots1",
        "apertus",
        "exaone_moe",
        "afmoe",
        "qwen3_5_text",  # the full-attention layers' per-head q/k norms (Qwen3_5Attention), read before any run
        "qwen3_5_moe_text",
        "qwen3_next",  # Qwen3NextAttention's per-head q/k norms (as Qwen3.5's, which it precedes), read before any run
    }
)


#: Families whose norm runs outside autocast on a bf16 copy of its input (Nemotron's LayerNorm1P,
#: modeling_nemotron.py ``NemotronLayerNorm1P``: ``F.layer_norm`` with autocast off).  Traced on the H200
#: (calibration/results/traces18.jsonl, PEFT): with the layer in bf16 it keeps only per-token statistics beyond the
#: residual stream (its output feeds frozen projections and LoRA's own copies, and is freed); with PEFT's fp32
#: residual stream, the bf16 copy of its input (2h).  Priced so on PEFT's path; 6h and 4h are an RMSNorm's.
_LAYER_NORM_1P = frozenset({"nemotron"})
#: Families with one norm per decoder layer: Cohere's parallel block feeds one LayerNorm's output to both the
#: attention and the MLP (modeling_cohere.py / modeling_cohere2.py ``CohereDecoderLayer.forward``; the North MoE's
#: modeling_cohere2_moe.py ``Cohere2MoeDecoderLayer.forward`` as well, its MLP the routed experts).
_ONE_NORM = frozenset({"cohere", "cohere2", "cohere2_moe"})


def norms_per_layer(arch: Architecture) -> int:
    value = getattr(arch, "norms_per_layer", None)
    if value:
        return int(value)
    return 4 if arch.model_type in _SANDWICH_NORMS else 1 if arch.model_type in _ONE_NORM else 2


def attention_io_factor(arch: Architecture) -> float:
    """What the attention's saved q, k, v and output weigh against four ``q``-wide blocks: 1 for ordinary attention.

    Under multi-head latent attention (DeepSeek-V3's modeling, read before any run) the attention saves the per-head
    query and key (``heads x qk``), the value as a view of ``kv_b_proj``'s output, which keeps the whole output alive
    (``heads x (nope + v)``), and the output (``heads x v``); ``q_dim`` is ``heads x qk``.
    """
    if not arch.latent_attention:
        return 1.0
    qk, v = arch.head_dim, arch.v_head_dim
    return (2.0 * qk + (qk - arch.qk_rope_head_dim + v) + v) / (4.0 * qk)


def latent_width(arch: Architecture) -> int:
    """The widths latent attention normalizes beside the hidden state: the query latent (if any) and the key/value
    latent, each an RMSNorm whose input and output are saved as a hidden-state norm's are; 0 otherwise."""
    return arch.q_lora_rank + arch.kv_lora_rank if arch.latent_attention else 0


def qk_norm(arch: Architecture) -> bool:
    """Whether the attention normalizes q and k: the checkpoint's ``use_qk_norm`` where it says, else the family's."""
    value = getattr(arch, "qk_norm", None)
    return bool(value) if value is not None else arch.model_type in _QK_NORM


#: Families whose attention soft-caps its logits (``tanh(x / c) * c`` before the softmax), by model_type.
_ATTN_SOFTCAP = {"gemma2": 50.0}
#: Families whose attention adds learned sink logits and takes the softmax in the compute dtype.
_ATTN_SINKS = frozenset({"gpt_oss"})
#: Families transformers refuses to run with SDPA (``_supports_sdpa = False``): they run eager attention.
EAGER_ONLY = frozenset({"gemma2", "gpt_oss"})


def attn_softcap(arch: Architecture) -> float | None:
    value = getattr(arch, "attn_logit_softcapping", None)
    return float(value) if value else _ATTN_SOFTCAP.get(arch.model_type)


def attention_sinks(arch: Architecture) -> bool:
    return bool(getattr(arch, "attention_sinks", arch.model_type in _ATTN_SINKS))


def eager_attention(profile: Profile, arch: Architecture, framework: str = "peft") -> bool:
    """Whether the run materializes the attention score matrices.

    PEFT and Axolotl load the model with the profile's ``attn_implementation``; Unsloth picks its own, and
    for the families that refuse SDPA it computes the scores explicitly as well.
    """
    if framework == "unsloth":
        return arch.model_type in EAGER_ONLY
    return profile.attn_implementation == "eager"


def eager_score_bytes(profile: Profile, arch: Architecture, framework: str = "peft") -> tuple[float, float]:
    """Bytes of eager attention's score matrices: (kept per layer, transient in the layer being computed).

    Per element of the b x H x s x s scores, from the autograd graph of transformers' eager attention: the
    softmax output in fp32 (4 bytes) and its bf16 copy that the value matmul saves (2), plus the tanh output
    (2) with soft-capping (Gemma-2).  With sinks (gpt-oss) the softmax runs in the compute dtype: 2 bytes in
    bf16, 4 + 2 when PEFT's ``prepare_model_for_kbit_training`` has cast the sinks to fp32 (Unsloth does
    not).  Transient, in the layer whose backward runs: the scores' gradient in fp32 and its bf16 casts
    (4 + 4 + 2), 6 in bf16 with sinks (three gradients of the concatenated and shifted logits, traced on the
    H200 under PEFT and Unsloth alike), 12 with fp32 sinks (three fp32 gradients, traced).  The causal and
    sliding-window masks, ``2 * b * s * s * 4``, are counted once with the transient.
    """
    b, s, heads = profile.batch_size, profile.max_seq_length, arch.num_attention_heads
    scores = float(b * heads * s * s)
    if attention_sinks(arch):
        fp32_sinks = profile.quantization != "none" and framework != "unsloth"
        kept, transient = (6.0, 12.0) if fp32_sinks else (2.0, 6.0)
    else:
        kept, transient = 6.0 + (2.0 if attn_softcap(arch) else 0.0), 10.0
    return kept * scores, transient * scores + 2 * 4.0 * b * s * s


def dropout_bytes(arch: Architecture, profile: Profile, framework: str = "peft") -> float:
    """What each adapted module's LoRA input path saves per token and layer, beyond the base layer's own input.

    With dropout, ``3 * in_features``: its mask and the bf16 copy of its output that autocast makes for the fp32
    ``lora_A``.  Without dropout, PEFT still feeds ``lora_A`` an fp32 copy of the input, which autocast casts back
    and saves: ``2 * in_features`` (measured on the H200: ERNIE-4.5-0.3B, 16-bit, no dropout, 22% above the
    estimate without it).  Without dropout on the other paths, 0.
    """
    if profile.lora_dropout <= 0 and framework != "peft":
        return 0.0
    per_feature = 3 if profile.lora_dropout > 0 else 2
    shapes = arch.module_shapes()
    return float(sum(per_feature * shapes[name][0] for name in profile.target_modules if name in shapes))


#: Families whose compiled FastModel layers keep more for their LayerNorm (mean and bias; modeling_stablelm.py) where
#: the other FastModel families traced use RMSNorm.  OLMo 1's weightless LayerNorm on an fp32 copy (modeling_olmo.py
#: ``OlmoLayerNorm``) was priced so before any run of it; its round-12 run without checkpointing (OLMo-7B-hf's shapes,
#: 12 layers) kept no more than an RMSNorm layer's blocks (21% over with the term, 6% without), so it is not listed.
_LAYER_NORM = frozenset({"stablelm"})


def fastmodel_layer_bytes(arch: Architecture, profile: Profile) -> float:
    """Per token, what one dense decoder layer compiled by Unsloth's FastModel keeps without checkpointing.

    Traced on the H200 (calibration/results/traces6.jsonl, traces8.jsonl: tr-h7-unsloth-helium-1-preview-2b-1,
    tr-h7-unsloth-stablelm-2-1.6b-1, tr-h6-unsloth-hunyuan-7b-L8-1, tr-h6-unsloth-olmo-3-7b-L4-1; within 2.5% of
    each run's layer blocks): bf16 blocks of the norms, projections and SDPA output, ``8h + 4q + 4kv``, SDPA's fp32
    log-sum-exp (``4 x heads``), the q/k norms (``q + kv``); the MLP's gate and up outputs (``4I``) and their product
    when ``down_proj`` is adapted (``2I``; Hunyuan and OLMo-3 with attention-only adapters keep 4I, Helium and
    StableLM with all modules 6I); each adapted module's LoRA-A output (``2r``).  StableLM's layers keep ``10h``
    more (one t x h x 8-byte block at its compiled layer's :779 and one more t x h bf16 block, 24 of each): of the
    traced families only it uses ``nn.LayerNorm`` (``_LAYER_NORM``), the likeliest source; unconfirmed.
    """
    h, q, kv = arch.hidden_size, arch.q_dim, arch.kv_dim
    kept = 8 * h + (4 * q + 4 * kv) * attention_io_factor(arch) + 4 * arch.num_attention_heads
    kept += 4 * latent_width(arch)  # latent attention's two norms, priced as the hidden state's (8h for two)
    if arch.is_linear_attention:
        # Qwen3.5's Gated DeltaNet layers: the bundled kernels' tensors in place of the attention's (no q/k norms).
        kept += unsloth_linear_attention_bytes(arch) - (4 * q + 4 * kv) * attention_io_factor(arch)
        kept -= 4 * arch.num_attention_heads
    elif qk_norm(arch):
        kept += q + kv
    if arch.model_type in GATED_ATTENTION or (arch.model_type in GATED_QUERY and not arch.is_linear_attention):
        kept += 2 * q  # the gate's sigmoid output (read from the code, as on PEFT's path; Qwen3.5's untraced)
    if arch.model_type in _LAYER_NORM:
        kept += 10 * h
    i = arch.intermediate_size
    # An ungated MLP has no gate output: its up output alone (traced, tr-h15-unsloth-apertus-8b-L8-3: 2I a layer).
    kept += (4 * i if arch.gated_mlp else 2 * i) + (2 * i if DOWN_PROJECTIONS & set(profile.target_modules) else 0)
    shapes = arch.module_shapes()
    kept += 2 * profile.lora_r * sum(1 for m in profile.target_modules if m in shapes)
    return float(kept)


#: MoE families whose experts forward Unsloth replaces with its own (unsloth_zoo temporary_patches: qwen3_moe.py,
#: mixtral_moe.py, ernie4_5_moe.py, glm4_moe.py, deepseek_v3_moe.py, llama4_moe.py, gpt_oss.py, lfm2_moe.py,
#: qwen3_next_moe.py, qwen3_5_moe.py, step3p7_moe.py).  The other fused-expert families reach Unsloth's kernels
#: through transformers' experts interface (moe_experts_interface.py), inside the compiled decoder layer, and in
#: 16-bit each of their layers keeps the routed down-projection output as well (``t x k x h`` in bf16).  Traced on
#: the H200 (calibration/results/traces15.jsonl, 16-bit, checkpointed, attention adapters only): Granite-MoE keeps it
#: in all 8 layers; Qwen3-MoE, Mixtral and ERNIE-4.5-MoE keep none (nor did the first sessions' Qwen3-MoE and
#: Mixtral traces); OLMoE (traces14: all 16 layers) and FlexOlmo (traces11) keep it.  No 4-bit trace shows it.
#: Mistral Small 4 (mistral4) is not here: no temporary patch names a mistral4 class, so Mistral4Experts (the
#: generic ``@use_experts_implementation`` forward) reaches Unsloth's backend through the interface, and in 4-bit
#: moe_utils_bnb4bit.py ``replace_expert_params_with_bnb_params`` quantizes its fused experts (standard layout).
_UNSLOTH_OWN_EXPERTS_FORWARD = frozenset(
    {
        "qwen3_moe",
        "mixtral",
        "ernie4_5_moe",
        "glm4_moe",
        "glm4_moe_lite",
        "deepseek_v3",
        "llama4_text",
        "gpt_oss",
        "lfm2_moe",
        # temporary_patches/qwen3_next_moe.py patches Qwen3NextExperts and Qwen3NextSparseMoeBlock (Qwen3-MoE's
        # forward factories, the shared expert on); the loaded model_type is qwen3_next (checked, 2026.10.9)
        "qwen3_next",
        # unsloth_zoo temporary_patches/qwen3_5_moe.py patches the classes Qwen3_5MoeExperts and
        # Qwen3_5MoeSparseMoeBlock (Qwen3-MoE's forward factories), so it applies to the text model, whose loaded
        # model_type is qwen3_5_moe_text (the catalog's); the release's top-level qwen3_5_moe is never an
        # Architecture's model_type, and is kept only as the name the patch file has.
        "qwen3_5_moe_text",
        "qwen3_5_moe",
        "step3p7",
    }
)


def moe_layer_kept_bytes(arch: Architecture, profile: Profile) -> float:
    """Per token, what one MoE decoder layer keeps on Unsloth's FastModel path, with checkpointing on or off.

    With checkpointing on, FastModel's MoE layers still keep their tensors (every layer, not only the
    recomputed one): bf16 blocks of the norms, projections and SDPA output, ``4h + 4q + 4kv``, SDPA's fp32
    log-sum-exp (``4 x heads``), the q/k norms (``q + kv``), the grouped gate/up output ``t x k x 2I`` in bf16
    (``4kI``) and the router's fp32 logits and probabilities (``12E``).  A shared expert keeps what a compiled dense
    MLP does (:func:`fastmodel_layer_bytes`): its gate and up outputs (``4S``), their product when ``down_proj`` is
    adapted (``2S``), and beside a sigmoid gate the expert's output (``2h``).  Where Unsloth adapts the routed experts
    (:func:`unsloth_expert_adapter_params`) they keep the inputs their adapters' A matrices need: the gathered hidden
    states (``t x k x h``, ``2kh``) for ``gate_up_proj``, the activation (``t x k x I``, ``2kI``) for ``down_proj``.
    In 16-bit, a family whose MoE forward Unsloth does not patch (``_UNSLOTH_OWN_EXPERTS_FORWARD``) keeps a
    ``t x k x h`` block whatever is adapted (traces14, traces15).
    Traced, tr-h8-unsloth-qwen1.5-moe-a2.7b-L4-0 (all four layers, 4-bit) and tr-h8-unsloth-qwen2-57b-a14b-L1-1
    (16-bit): per layer t x k x 2I, t x k x h, t x k x I, three t x S (gate, up, product) and the shared output,
    within 3% of the layers' blocks; unsloth_zoo temporary_patches/moe_utils.py:5409-5770
    ``forward_native_grouped_mm`` (the separated LoRA grouped matmuls on ``permuted_input`` and ``inter``).
    Traced on the H200: tr-unsloth-mixtral-0 (2 layers: 3 t x h, SDPA, k and v, t x k x 2I each),
    tr-unsloth-qwen3_moe-0 (4 layers: 2 t x q, 2 t x h, 3 t x kv, t x k x 2I), tr-h4-unsloth-granite-3.1-3b-a800m-L8-0
    (8 layers: 3 t x h, SDPA, k and v, t x k x 2I at the compiled layer's :1636) and
    tr-h6-unsloth-flexolmo-7x7b-1t-L2-0 (2 layers: 7 t x h, SDPA, t x k x 2I).
    """
    h, q, kv = arch.hidden_size, arch.q_dim, arch.kv_dim
    k = routed_copies(arch, "unsloth")
    kept = 4.0 * (h + (q + kv) * attention_io_factor(arch) + arch.num_attention_heads + k * arch.intermediate_size)
    kept += 4.0 * latent_width(arch)
    kept += 12 * (arch.num_experts or 0)
    if arch.is_linear_attention:
        # Qwen3.5 MoE's Gated DeltaNet layers: the bundled kernels' tensors in place of the attention's.
        kept += unsloth_linear_attention_bytes(arch) - 4.0 * ((q + kv) * attention_io_factor(arch))
        kept -= 4.0 * arch.num_attention_heads
    elif qk_norm(arch):
        kept += q + kv
    if arch.model_type in GATED_ATTENTION or (arch.model_type in GATED_QUERY and not arch.is_linear_attention):
        kept += 2.0 * q  # the gate's sigmoid output (Qwen3.5's read from the code, untraced)
    shared, targets = arch.shared_expert_intermediate_size, set(profile.target_modules)
    if shared:
        kept += 4.0 * shared + (2.0 * shared if DOWN_PROJECTIONS & targets else 0.0)
        kept += 2.0 * h if arch.shared_expert_gate else 0.0
    if fused_experts(arch):
        interface = profile.quantization == "none" and arch.model_type not in _UNSLOTH_OWN_EXPERTS_FORWARD
        kept += 2.0 * k * h if interface or _EXPERT_GATE_UP & targets else 0.0
        kept += 2.0 * k * arch.intermediate_size if _EXPERT_DOWN & targets else 0.0
    return float(kept)


#: The MLP target names for which Unsloth also adapts the fused routed experts (unsloth/models/_utils.py:11023
#: ``get_moe_target_parameters``: gate_proj or up_proj -> ``mlp.experts.gate_up_proj``, down_proj ->
#: ``mlp.experts.down_proj``, passed to PEFT as ``target_parameters``).
_EXPERT_GATE_UP = frozenset({"gate_proj", "up_proj"})
_EXPERT_DOWN = frozenset({"down_proj"})


def unsloth_expert_adapter_params(arch: Architecture, profile: Profile) -> int:
    """Adapter parameters Unsloth adds on the fused routed experts when the targets name MLP projections.

    Unsloth's ``get_peft_model`` asks ``get_moe_target_parameters`` (unsloth/models/_utils.py:11023) for PEFT
    ``target_parameters``: ``gate_up_proj`` when gate_proj or up_proj is targeted, ``down_proj`` when down_proj is.
    PEFT keeps a rank-r pair per expert: ``r * E * (h + 2I)`` and ``r * E * (I + h)`` per MoE layer.  Only families
    whose catalog entry names MLP modules beside fused experts (a shared expert's, a dense layer's: Qwen2-MoE) are
    adapted so; for the others ftguide targets attention only.  Traced: 18 adapter tensors per layer at
    tuners_utils.py:2762 in tr-h8-unsloth-qwen1.5-moe-a2.7b-L4-0 (0.172 GB: attention, shared and routed experts)
    and tr-h8-unsloth-qwen2-57b-a14b-L1-1 (0.033 GB).
    """
    if not arch.num_experts or not fused_experts(arch):
        return 0
    targets = set(profile.target_modules)
    h, i, e, r = arch.hidden_size, arch.intermediate_size, arch.num_experts, profile.lora_r
    gate_up = r * e * (h + 2 * i) if _EXPERT_GATE_UP & targets else 0
    down = r * e * (i + h) if _EXPERT_DOWN & targets else 0
    return arch.moe_layers * (gate_up + down)


def fastmodel_activation_bytes(arch: Architecture, profile: Profile) -> float:
    """Per token, FastModel's activations without checkpointing: every layer's kept tensors
    (:func:`fastmodel_layer_bytes`, :func:`moe_layer_kept_bytes`) and, in an MoE model, the gradients of one MoE
    layer's gate/up output and activation at the backward peak, ``6kI`` (tr-h6-unsloth-flexolmo-7x7b-1t-L2-1)."""
    kept = arch.per_layer_sum(
        lambda a: moe_layer_kept_bytes(a, profile) if a.num_experts else fastmodel_layer_bytes(a, profile)
    )
    if arch.num_experts:
        kept += 6.0 * routed_copies(arch, "unsloth") * arch.intermediate_size
    return kept


def fused_loss_bytes(profile: Profile, arch: Architecture) -> float:
    """FastModel's fused cross-entropy at the loss, where its no-checkpointing peak lies.

    Two ``(t / n) x V`` bf16 blocks, one chunk's logits and their gradient (traced: 2 x 2048 x V in
    tr-h7-unsloth-helium-1-preview-2b-1 and tr-h7-unsloth-stablelm-2-1.6b-1, 2 x 1536 x V in
    tr-h6-unsloth-olmo-3-7b-L4-1 and tr-h6-unsloth-hunyuan-7b-L8-1), ``n`` as unsloth_zoo
    fused_losses/cross_entropy_loss.py sizes it (``get_chunk_size``, :288-303): 16 bytes a logit (:225) against
    4 GiB (``_CE_TARGET_GB_CAP``, :229; half the free memory when less) less the t x h bf16 input gradient
    (:400-406), rounded up to a multiple of 4, or 1 when it all fits; ``torch.chunk`` rows (:426).
    With a vocabulary that is not a multiple of 8, two V x h bf16 blocks more: the first chunk's call (:555) is
    compiled, and inductor's pad_mm pass benchmarks the padded matmul on real copies of its operands
    (torch/_inductor/fx_passes/pad_mm.py: bf16 alignment 8, :70-72; ``realize_tensor``, :537-548; the padded
    copy, :588) (traced: two V x h blocks at :555 in tr-h6-unsloth-olmo-3-7b-L4-1, V = 100278, and
    tr-h6-unsloth-hunyuan-7b-L8-1 and -0, V = 128167; none in the Helium and StableLM traces, V = 48000 and 100352).
    """
    t = float(profile.batch_size * profile.max_seq_length)
    target = 4.0 - t * arch.hidden_size * 2.0 / GIB
    exact = t * arch.vocab_size * 16.0 / GIB / target
    chunks = 1 if exact <= 1.0 + 1e-9 else min(math.ceil(exact / 4 - 1e-9) * 4, t)
    kept = 4.0 * math.ceil(t / chunks) * arch.vocab_size
    if arch.vocab_size % 8:
        kept += 4.0 * arch.vocab_size * arch.hidden_size
    return kept


#: MoE families whose layers Unsloth's checkpointing does free: at the backward peak of
#: tr-h13-unsloth-north-mini-code-1.0-L5-0 (cohere2_moe, 4-bit, checkpointed) only the layer being rebuilt held routed
#: blocks, none of the four other MoE layers did, and the 16-bit checkpointed run of round 13 was over by the price of
#: their kept tensors (0.9 GiB).  Found after round 13 ran blind, so its figures for the family are in-sample.
#: DeepSeek-V3's and GLM-4.7-Flash's MoE forwards are Unsloth's own (unsloth_zoo temporary_patches
#: deepseek_v3_moe.py, unsloth/models/glm4_moe.py), and their checkpointed runs of round 21 (blind) were over by the
#: price of the kept tensors (Moonlight's cut +15.5 %, GLM-4.7-Flash's +30.9 %; +2.2 % and +2.6 % without them):
#: added having seen that round, so its figures for the two are in-sample on Unsloth's checkpointed path.
#: Qwen3.5 MoE (qwen3_5_moe_text) is not here: unsloth_zoo temporary_patches/qwen3_5_moe.py builds its forward from
#: Qwen3-MoE's factories (qwen3_moe.py ``_make_qwen_moe_sparse_moe_block_forward``), and Qwen3-MoE's layers keep
#: their tensors under checkpointing (priced so before any Qwen3.5 run; the set is keyed by the loaded model_type).
#: Qwen3-Next (qwen3_next) is not here for the same reason (temporary_patches/qwen3_next_moe.py: the same factories).
#: Mistral Small 4 (mistral4) is here from its code, added unrun: in transformers 5.16.1 and 5.23 (Unsloth's 5.17
#: lies between) its decoder layer, MoE block (routed experts plus shared experts), experts class
#: (``@use_experts_implementation``, the generic forward) and MLP are DeepSeek-V3's verbatim but for the names (only
#: the router, a bare-parameter softmax with no fp32 cast, and the attention differ), and unsloth_zoo patches no
#: mistral4 class, so its layers run as deepseek_v3's measured ones do: through FastModel's compiled modeling module
#: and the experts interface (deepseek_v3_moe.py patches only DeepseekV3NaiveMoe, which 5.13+ no longer has).
_MOE_CHECKPOINTED_ON_UNSLOTH = frozenset({"cohere2_moe", "deepseek_v3", "glm4_moe_lite", "mistral4"})


def features(profile: Profile, arch: Architecture, framework: str = "peft") -> dict[str, float]:
    """The activation and logits terms, in the units their coefficients multiply.

    Without checkpointing: ``act = t * L * layer`` and ``dropout = t * L * dropout_bytes``; with it,
    ``ckpt = t * L * h`` (each layer's input kept at its boundary) and ``recompute = t * (layer + dropout)``
    (one layer rebuilt at a time).  ``logits = t * V``; ``head_quant = V * h`` with a quantized base.
    t = micro-batch x sequence length.  ``hidden = t * h``: what each token keeps outside the decoder layers
    (embedding output, final norm, the hidden states the chunked loss reads, and their gradients), which a
    fit on deep models alone folds into the per-layer terms.  With eager attention, ``eager`` = the score
    matrices in bytes (:func:`eager_score_bytes`): kept by every layer without checkpointing, by the
    recomputed one with it.
    """
    tokens = float(profile.batch_size * profile.max_seq_length)
    layers = arch.num_hidden_layers

    def layer_of(a: Architecture) -> float:
        return layer_activation_bytes(a, framework)

    def drop_of(a: Architecture) -> float:
        return dropout_bytes(a, profile, framework)

    quant = "quant" if profile.quantization != "none" else "16bit"
    out = {"logits": tokens * arch.vocab_size}
    # PEFT's path: the per-token terms outside the layers are fitted apart with and without checkpointing.
    hidden = "hidden"
    if framework != "axolotl" and profile.gradient_checkpointing and profile.quantization != "8bit":
        hidden = "hidden_gc" if profile.quantization != "none" else ("hidden_gc16" if framework == "peft" else hidden)
    if framework == "peft" and hidden == "hidden" and profile.quantization == "none":
        hidden = "hidden_16bit"
    out[hidden] = tokens * arch.hidden_size
    if upcasts(profile):
        # The fp32 output head is cast to the compute dtype for every forward: one V x h copy.
        out["head_quant"] = float(arch.vocab_size * arch.hidden_size)
    if profile.quantization == "8bit":
        # Measured: with an int8 base (bitsandbytes LLM.int8) checkpointing saved between nothing and half of
        # the activation memory on the H200 (one such run ran out of 140 GiB), so 8-bit runs are modelled
        # without it, whether it is on or not: an over-estimate is a smaller batch, an under-estimate an OOM.
        out["act_8bit"] = tokens * arch.per_layer_sum(layer_of)
        out["dropout"] = tokens * arch.per_layer_sum(drop_of)
    elif profile.gradient_checkpointing:
        out[f"ckpt_{quant}"] = tokens * layers * arch.hidden_size
        # PEFT's fp32 upcast makes the residual stream fp32, and bitsandbytes returns each projection in its
        # input's dtype: the recomputed layer's tensors are fp32, twice their bf16 bytes (traced on the H200:
        # a Qwen2.5-7B-shaped layer's MLP outputs, 4 bytes an element).
        width = fp32_width(profile, framework)
        name = "recompute_quant" if framework == "peft" and profile.quantization != "none" else "recompute"
        if framework == "unsloth" and unsloth_fast_path(arch):
            name = "recompute_fast"
        if width > 1.0 and not arch.gated_mlp:
            # An ungated activation's fp32 blocks are priced as traced in fp32, not as twice their bf16 bytes.
            out[name] = tokens * arch.widest_layer(lambda a: layer_activation_bytes_fp32(a) + drop_of(a) * width)
        elif framework == "peft" and arch.linear_attention_layers:
            # A recomputed Gated DeltaNet layer: its mixer's traced bytes (already fp32 where the fallbacks compute in
            # fp32, so not doubled with the fp32 residual stream) at the mixer's own unfitted term, the rest of the
            # layer as any other's.
            def rest_of(a: Architecture) -> float:
                return (layer_of(a) - mixer_bytes(a) + drop_of(a)) * width

            fp32_mixer = width > 1.0
            widest = max(
                (group for _, group in arch.layer_groups()), key=lambda a: rest_of(a) + mixer_bytes(a, fp32_mixer)
            )
            out[name] = tokens * rest_of(widest)
            out["linear_mixer"] = tokens * mixer_bytes(widest, fp32_mixer)
        else:
            out[name] = tokens * arch.widest_layer(lambda a: layer_of(a) + drop_of(a)) * width
        if framework == "peft" and width == 1.0:
            out["recompute_peak"] = tokens * recompute_peak_bytes(arch, profile)
        elif framework == "peft" and not arch.gated_mlp:
            # The recomputed fp32 layer's activation backward (traced for Apertus's xIELU, 4-bit).
            out["recompute_peak"] = tokens * ungated_activation(arch).backward_fp32 * arch.intermediate_size
        elif arch.num_experts and framework == "axolotl":
            # The backward of the recomputed MoE layer holds the gradients of its routed activations beside
            # them (measured on the H200: 16-bit Mixtral and Qwen3-MoE at 16k tokens were 7-11% above the
            # estimate without this): the routed part of the layer counts twice.  (In fp32, under a quantized
            # base, the routed tensors are already priced at twice their bf16 bytes: traced on the H200,
            # Mixtral and Qwen3-MoE 4-bit hold no second copy.)
            out[name] += tokens * mlp_activation_bytes(arch)
    else:
        fp32 = framework == "peft" and upcasts(profile)
        if framework == "unsloth" and not unsloth_fast_path(arch):
            out["act_fastmodel"] = tokens * fastmodel_activation_bytes(arch, profile)
        else:
            out[f"act_{quant}"] = tokens * arch.per_layer_sum(layer_activation_bytes_fp32 if fp32 else layer_of)
            if framework == "peft" and arch.linear_attention_layers:
                # Qwen3.5's Gated DeltaNet mixers, traced to the byte: their own unfitted term (linear_attention_bytes).
                mixers = tokens * arch.per_layer_sum(lambda a: mixer_bytes(a, fp32))
                out[f"act_{quant}"] -= mixers
                out["linear_mixer"] = mixers
        out["dropout"] = tokens * arch.per_layer_sum(drop_of)
        if framework == "peft":
            out["transient"] = tokens * peak_transient_bytes(arch, profile)
    experts = unquantized_expert_params(arch, profile.quantization, framework)
    if experts and framework == "axolotl":
        # fp32 experts go through the grouped matmul as a copy, one layer's experts at a time (Axolotl's fit).
        # On PEFT's path the peak comes after that copy is freed (traced on the H200: Mixtral, Qwen3-MoE and
        # gpt-oss in 4-bit, with and without checkpointing, no expert-sized block alive at the peak).
        out["expert_copy"] = experts / arch.moe_layers
    elif framework == "unsloth" and profile.quantization != "none" and expert_params(arch) and not experts:
        # Unsloth's own 4-bit experts are dequantized to bf16 for its grouped matmul, one layer at a time.
        out["expert_copy"] = expert_params(arch) / arch.moe_layers
    if dequant := dequant_bytes(arch, profile, framework):
        out["dequant"] = dequant
    unsloth_ckpt = framework == "unsloth" and profile.gradient_checkpointing and profile.quantization != "8bit"
    if unsloth_ckpt and unsloth_fast_path(arch):
        # Outside the recomputed layer at the backward peak (traced, tr-h2-unsloth-qwen3-4b-L8-0,
        # tr-h4-unsloth-qwen3-32b-L2-0, tr-h4-unsloth-qwen2.5-3b-L8-0): five t x h bf16 blocks, the model's hidden
        # state (unsloth/models/llama.py:1399), the offload staging buffers (unsloth_zoo/gradient_checkpointing.py
        # :1471 and :1488), the last residual (models/llama.py:1235) and the loss's gradient of the final hidden
        # state (unsloth_zoo/fused_losses/fused_linear.py:1869): 10 bytes per token and hidden unit.
        out["outside_gc"] = tokens * arch.hidden_size
    if unsloth_ckpt and not unsloth_fast_path(arch) and not arch.num_experts:
        # FastModel's inductor-compiled MLP backward (traced, tr-h2-unsloth-phi-4-L2-0, peak in the backward of
        # unsloth_compiled_module_phi3.py:240 Phi3MLP_forward): five t x I / t x 2I blocks, 14 I bytes per token,
        # where layer_activation_bytes prices 8 I.
        # An ungated MLP has two of the three t x I outputs (assumed, not traced): 4 I.
        # Squared ReLU's holds more (round 18, AFM-4.5B: its two checkpointed runs 8-11 % under with 4 I; priced at
        # 8 I, set having seen them).
        backward = 6.0 if arch.gated_mlp else ungated_activation(arch).unsloth_backward
        out["fastmodel_mlp"] = tokens * backward * arch.intermediate_size
    elif unsloth_ckpt and expert_params(arch) and not unsloth_fast_path(arch):
        # ... and an MoE layer's backward, as without checkpointing (fastmodel_activation_bytes): the gradients of
        # its grouped gate/up output and activation, 6kI (traced, tr-h11-unsloth-flexolmo-7x7b-1t-L2-1: beside
        # both layers' kept t x k x 2I blocks, two more of them and three t x k x I at the compiled backward's peak).
        out["fastmodel_mlp"] = tokens * 6.0 * routed_copies(arch, framework) * arch.intermediate_size
    if framework == "unsloth" and not unsloth_fast_path(arch) and not unsloth_ckpt:
        out["loss_chunk"] = fused_loss_bytes(profile, arch)
    elif framework == "unsloth" and not profile.gradient_checkpointing:
        # Unsloth's fused cross-entropy projects 1024 tokens at a time: a 1024 x V bf16 tile, alive at the
        # no-checkpointing peak (traced on the H200, four families).
        out["loss_chunk"] = 1024.0 * 2.0 * arch.vocab_size
    own_experts = profile.quantization == "none" or not experts
    if (
        framework == "unsloth"
        and expert_params(arch)
        and profile.gradient_checkpointing
        and own_experts
        and arch.model_type not in _MOE_CHECKPOINTED_ON_UNSLOTH
    ):
        # Where Unsloth's grouped-GEMM expert path runs (16-bit experts, or its own 4-bit ones), every MoE layer
        # keeps its tensors despite checkpointing (traced: moe_layer_kept_bytes).
        # The last MoE layer is the first whose backward runs, and the peak lies in it, after it has freed part of
        # what it kept: its own coefficient (fitted; the one-to-four-layer cuts put it at 0.6-0.8 of the price).
        def moe_kept_of(a: Architecture) -> float:
            return moe_layer_kept_bytes(a, profile) if a.num_experts else 0.0

        last = tokens * arch.widest_layer(moe_kept_of)
        out["moe_kept"] = tokens * arch.per_layer_sum(moe_kept_of) - last
        out["moe_kept_last"] = last
    if eager_attention(profile, arch, framework):
        kept, transient = eager_score_bytes(profile, arch, framework)
        checkpointed = profile.gradient_checkpointing and profile.quantization != "8bit"
        if framework == "peft":
            # Traced on the H200: the scores' gradients appear in the attention's backward, after the MLP of
            # the same layer has freed its activations and their gradients (half as much again), so they
            # only add what exceeds those.
            freed = 1.5 * tokens * mlp_activation_bytes(arch) * fp32_width(profile, framework)
            transient = max(0.0, transient - freed)
            if checkpointed and kept >= 4.0 * b_h_s_s(profile, arch):
                # ... by which time the bf16 copy of the probabilities that the value matmul saved is freed.
                kept -= 2.0 * b_h_s_s(profile, arch)
        out["eager"] = kept * (1 if checkpointed else layers) + transient
    if framework == "peft":
        out["slack"] = reserved_slack(profile, arch, framework)
        out["attn_mask"] = attention_mask_bytes(profile, arch, framework)
    return out


def recompute_peak_bytes(arch: Architecture, profile: Profile) -> float:
    """Per token, what the recomputed layer of a 16-bit PEFT run holds only at its worst moment.

    Traced on the H200, PEFT 0.21 and transformers 5.23: in a dense layer, the forward's cast of each adapted
    module's input to the adapters' fp32 (``_cast_input_dtype``), with dropout writing a second fp32 copy,
    ``8 x in_features`` of the widest adapted module (4 without dropout).  In an MoE layer, ``k x I``: part of the
    backward's gate/up gradient (below).
    """
    if arch.num_experts:
        # An MoE layer's recomputation peaks in its routed experts, not at a cast, and the backward's gate/up
        # gradient arrives as the layer frees its routed outputs: a quarter of the 4kI adds (fitted on the 23
        # 16-bit checkpointed PEFT runs of ten MoE families, rounds 1-9; with the whole 4kI and the cast they were
        # all over, median 7.5 %, worst 19.5 %, the worst of them shared-expert models).
        return float(routed_copies(arch) * arch.intermediate_size)
    shapes = arch.module_shapes()
    widest = max((shapes[m][0] for m in profile.target_modules if m in shapes), default=0)
    cast = (8.0 if profile.lora_dropout > 0 else 4.0) * widest
    if not arch.gated_mlp:
        # An ungated MLP's activation backward (Apertus's xIELU: traced, the larger of the two).
        return max(cast, ungated_activation(arch).backward * arch.intermediate_size)
    return cast


#: Families whose layers alternate sliding-window and full attention: the model builds one mask of each.
_SLIDING_MIXED = frozenset(
    {"gemma2", "gemma3", "gemma3_text", "gpt_oss", "olmo3", "llama4_text", "exaone_moe", "afmoe"}
)


def attention_mask_bytes(profile: Profile, arch: Architecture, framework: str) -> float:
    """The attention masks transformers materialises for a padded batch: ``b x s x s`` each.

    A boolean mask per attention kind under SDPA (traced on the H200: one ``b x s x s`` block, two for Gemma-3's
    sliding and full layers); eager attention's additive masks are in the compute dtype, fp32 under PEFT's
    upcast of a quantized base.  0 on paths that build none (Unsloth's and Axolotl's are not priced apart).
    """
    if framework != "peft":
        return 0.0
    kinds = 2 if arch.model_type in _SLIDING_MIXED else 1
    width = 1.0
    if eager_attention(profile, arch, framework):
        width = 4.0 if upcasts(profile) else 2.0
    return kinds * width * profile.batch_size * float(profile.max_seq_length) ** 2


def reserved_slack(profile: Profile, arch: Architecture, framework: str) -> float:
    """What the caching allocator holds reserved beyond the allocated peak (expandable segments on).

    Measured on the H200 (PEFT's script, 28 runs of 10 families): with eager attention, 0.37-0.45 of the score
    gradients of one layer (:func:`eager_score_bytes`' transient) with checkpointing and 0.48-0.73 without;
    otherwise 1 to 1.4 of the largest MLP intermediate (``t x I``, or the routed ``t x k x 2I`` gate/up output
    of an MoE layer) in the layer's dtype.  Priced at 0.45 / 0.75 / 1.2 of those.
    """
    if eager_attention(profile, arch, framework):
        _, transient = eager_score_bytes(profile, arch, framework)
        checkpointed = profile.gradient_checkpointing and profile.quantization != "8bit"
        return transient * (0.45 if checkpointed else 0.75)
    tokens = float(profile.batch_size * profile.max_seq_length)
    width = 2 * routed_copies(arch) if arch.num_experts else 1
    ratio = 1.2
    if arch.model_type in _DENSE_ROUTED:
        # Llama 4 Scout's three PEFT runs of round 10 (in-sample, no trace): with the layer in bf16 the slack was
        # 0.60-0.63 of the E-copy block's price, and with it in fp32 (4-bit base) 0.04 of it, 0.84 of one copy's.
        if fp32_width(profile, framework) > 1.0:
            width = 2 * (arch.num_experts_per_tok or 1)
        else:
            ratio = 0.75
    return ratio * tokens * width * arch.intermediate_size * 2.0 * fp32_width(profile, framework)


def b_h_s_s(profile: Profile, arch: Architecture) -> float:
    """Elements of one layer's attention scores: micro-batch x heads x sequence x sequence."""
    return float(profile.batch_size * arch.num_attention_heads * profile.max_seq_length**2)


def fp32_width(profile: Profile, framework: str) -> float:
    """2 where PEFT's fp32 upcast makes a quantized run's layer activations fp32 (4 bytes, not 2); else 1."""
    return 2.0 if framework == "peft" and upcasts(profile) else 1.0


def mlp_activation_bytes(arch: Architecture, framework: str = "peft") -> float:
    """Bytes per token (at 2 bytes an element) that one layer's MLP saves: ``8I``, or ``k * (6I + 6h)`` routed.

    Routed, per copy of the token: the gate/up output and the activation (``6I``), the token's hidden state
    gathered for its expert and sorted by expert for the grouped matmul (``4h``: traced on the H200, two
    ``t x k x h`` blocks in Qwen3-MoE's layer), and the expert output that the routing weight multiplies (``2h``).
    Unsloth's fused expert kernels keep one ``t x k x I`` tensor and about five ``t x h`` ones per layer
    (traced: Qwen3-MoE and Mixtral): ``2kI + 10h``.  A shared expert is a dense MLP beside them (``8S``), and
    its sigmoid gate keeps the expert's output and the gate's (``4h``).
    """
    if arch.num_experts:
        k = routed_copies(arch, framework)
        shared = 8.0 * arch.shared_expert_intermediate_size + (4.0 * arch.hidden_size if arch.shared_expert_gate else 0)
        if arch.model_type in _DENSE_ROUTED and framework != "unsloth":
            # Llama 4's batched experts over every expert (modeling_llama4.py, no grouped-matmul path on any stack):
            # per copy the repeated input and its score-scaled copy (4h), the gate/up output (4I), the activation
            # and the product (4I).
            return float(k * (8 * arch.intermediate_size + 4 * arch.hidden_size) + shared)
        if framework == "unsloth":
            return float(2 * k * arch.intermediate_size + 10 * arch.hidden_size + shared)
        if framework == "axolotl":  # as its fit was made (its MoE runs are held out, never fitted)
            return float(k * (6 * arch.intermediate_size + 2 * arch.hidden_size) + shared)
        return float(k * (6 * arch.intermediate_size + 6 * arch.hidden_size) + shared)
    if arch.gated_mlp:
        return 8.0 * arch.intermediate_size
    # Ungated, ``down(act(up(x)))``: what the activation saves, and the bf16 copy of its output that an adapted
    # down_proj's LoRA A saves (priced whatever is adapted, as the gated 8I prices the product).  Unsloth's
    # recomputed layer: :attr:`UngatedActivation.unsloth`.
    if framework == "unsloth":
        return ungated_activation(arch).unsloth * arch.intermediate_size
    return float((ungated_activation(arch).saved + 2.0) * arch.intermediate_size)


class UngatedActivation(NamedTuple):
    """What the activation of a dense MLP without a gate, ``down(act(up(x)))``, costs per ``t x I`` element of its
    up output, in bytes: kept for the backward with the layer in bf16 and with PEFT's fp32 residual stream, and held
    at once by its own backward at its peak (bf16 / fp32); and what Unsloth's recomputed (checkpointed) layer is
    priced at for its MLP, activation output included."""

    saved: float
    saved_fp32: float
    backward: float
    backward_fp32: float
    unsloth: float
    unsloth_backward: float = 4.0
    """What FastModel's compiled MLP backward holds beside a checkpointed layer, per element (``fastmodel_mlp``)."""


#: Apertus's xIELU on its python path (transformers activations.py ``XIELUActivation._xielu_python``; the CUDA kernel
#: needs the ``xielu`` package, which none of the pinned stacks installs).  Traced on the H200
#: (calibration/results/traces15b.jsonl, PEFT, 8 layers of Apertus-8B): each layer keeps the bf16 up output (2), the
#: ``x > 0`` mask (1) and two t x I blocks in fp32 (4 + 4: its 1-element ``alpha_p`` / ``alpha_n`` parameters are
#: fp32 and promote the products), 11 in all, 13 with an fp32 residual stream; the backward's peak holds 18.4
#: (16-bit, with and without checkpointing) to 20.8 (4-bit) bytes per element beside them.  On Unsloth, 9: the python
#: path's bf16 tensors read from the code before any run (up output, ``alpha_p * x``, ``expm1``, mask, and the
#: activation's output), as round 15 ran it (not traced on Unsloth: its layer is compiled).
_XIELU = UngatedActivation(11.0, 13.0, 18.0, 20.0, 9.0)
#: Squared ReLU (transformers activations.py ``ReLUSquaredActivation``: ``torch.square(relu(x))``).  Traced on the H200
#: (calibration/results/traces18.jsonl, PEFT, Minitron-4B whole and 8 of its layers): the layer keeps the bf16 ReLU
#: output (2) and the square in fp32 (4: autocast runs ``pow`` in fp32), 6 in all.  Under PEFT's fp32 residual stream
#: it is priced at the one-input rule's 4 (both families' 4-bit runs came out over with more).  The backward's peak
#: holds 16.7 (16-bit, with and without checkpointing) to 17.3 (4-bit) bytes per element; the one-input rule priced 4
#: and left every round-17 PEFT run 1.7-5.1 % under.  Unsloth's recomputed layer as the one-input rule (its round-17
#: runs were within 1.4 %), its compiled backward 8 (round 18, seen).
_RELU2 = UngatedActivation(6.0, 4.0, 17.0, 18.0, 4.0, 8.0)
#: Arcee's MLP is the same activation (modeling_arcee.py ``ArceeMLP``, hidden_act relu2), added before any Arcee run.
_UNGATED_ACTIVATIONS: dict[str, UngatedActivation] = {"apertus": _XIELU, "nemotron": _RELU2, "arcee": _RELU2}
#: Any other ungated activation, priced as a one-input function (GELU): its input kept, two gradients at its peak.
_ONE_INPUT_ACTIVATION = UngatedActivation(2.0, 4.0, 4.0, 8.0, 4.0)


def ungated_activation(arch: Architecture) -> UngatedActivation:
    """What an ungated dense MLP's activation keeps and holds in its backward (:class:`UngatedActivation`)."""
    return _UNGATED_ACTIVATIONS.get(arch.model_type, _ONE_INPUT_ACTIVATION)


def axolotl_kernels(arch: Architecture) -> bool:
    """Whether Axolotl runs its fused LoRA kernels on this family (its family record; True when unknown)."""
    from ftguide.catalog import find_family

    family = find_family(arch.model_type)
    return family is None or family.axolotl_attention_kernels


def chunked_loss(profile: Profile, framework: str) -> bool:
    """Whether the run computes its loss in chunks (the profile's ``chunked_cross_entropy``, Axolotl only)."""
    return framework == "axolotl" and bool(getattr(profile, "chunked_cross_entropy", False))


def logits_bytes_per_element(profile: Profile, arch: Architecture, coef: Coefficients, framework: str) -> float:
    """What the loss costs per logit element (micro-batch x sequence x vocabulary) on ``framework``'s path."""
    if chunked_loss(profile, framework) and coef.logits_chunked:
        return coef.logits_chunked
    return coef.logits + (coef.logits_softcap if arch.final_logit_softcapping else 0.0)


def rope_cache_bytes(arch: Architecture, framework: str) -> float:
    """Unsloth's own model code caches RoPE cos and sin for every position the model supports, in bf16:
    ``2 * max_position_embeddings * head_dim * 2`` (traced on the H200: 0.49 GiB for Mistral-Nemo's 1M
    positions).  0 elsewhere."""
    if framework != "unsloth" or not unsloth_fast_path(arch):
        return 0.0
    return 2.0 * arch.max_position_embeddings * arch.head_dim * 2.0


def static_bytes(profile: Profile, arch: Architecture, coef: Coefficients, framework: str = "peft") -> dict[str, float]:
    """The terms fixed by the model and adapter, not by the batch."""
    extra = {"rope_cache": rope_cache} if (rope_cache := rope_cache_bytes(arch, framework)) else {}
    return {
        **extra,
        "base_weights": base_weight_bytes(arch, profile.quantization, framework),
        "unquantized_weights": unquantized_weight_bytes(
            arch, profile.quantization, coef, framework, upcast=upcasts(profile) or framework == "unsloth"
        ),
        "lora_state": lora_state_bytes(arch, profile) + expert_adapter_bytes(arch, profile, framework),
    }


def expert_adapter_bytes(arch: Architecture, profile: Profile, framework: str) -> float:
    """The routed experts' adapters on Unsloth's path (:func:`unsloth_expert_adapter_params`), priced as the
    others' (:func:`lora_state_bytes`); made by ``get_peft_model``, after the load peak.  0 elsewhere."""
    if framework != "unsloth":
        return 0.0
    return unsloth_expert_adapter_params(arch, profile) * (8.0 + optimizer_bytes_per_param(profile.optimizer))


def sharded(static: dict[str, float], profile: Profile, arch: Architecture) -> dict[str, float]:
    """Per-GPU static terms under a multi-GPU engine (N = num_gpus).

    ddp: nothing is sharded. zero2: adapter gradients and optimizer states are split N ways (the fp32 adapter
    weights are not). zero3 / fsdp: base weights, unquantized layers and the whole adapter state are split N
    ways, and each GPU gathers whole layers while it computes them: ``sharding_buffers`` = two decoder layers
    in bf16 (the one in use and the one prefetched).  Not measured on GPUs: derived from what each engine
    shards.
    """
    n = profile.num_gpus
    if n == 1 or profile.distributed in ("none", "ddp"):
        return {}
    params = lora_params(arch, profile)
    if profile.distributed == "zero2":
        return {"lora_state": params * (4.0 + (4.0 + optimizer_bytes_per_param(profile.optimizer)) / n)}
    return {
        "base_weights": static["base_weights"] / n,
        "unquantized_weights": static["unquantized_weights"] / n,
        "lora_state": static["lora_state"] / n,
        "sharding_buffers": 2 * 2.0 * arch.linear_params_per_layer(),
    }


def stacking_bytes_per_param(arch: Architecture) -> float:
    """Bytes per parameter of one MoE layer's experts that a 16-bit load of a per-expert checkpoint holds beside
    the model while transformers stacks the tensors into the fused parameters.

    Measured on the H200 (the 16-bit load peak of reserved memory less the model, PEFT and Unsloth runs alike):
    - Mixtral's pattern (``_MIXTRAL_PATTERN``): 2.66-2.68 with one MoE layer (Mixtral-8x22B, Phi-3.5-MoE,
      MiniMax-M2), 3.04-3.11 with two (Mixtral-8x7B): priced 2.7 + 0.4 per further layer, up to four;
    - Qwen2-MoE's pattern (the others): 1.96-2.02 with one (Qwen3-235B-A22B, Qwen2-57B-A14B, Hunyuan-A13B, and
      GLM-4.5-Air's and dots.llm1's cuts with one sparse layer), 1.9-2.0 with two (FlexOlmo's 7 experts) but 3.33
      with two of 128 (K-EXAONE), 3.3-3.9 with three or four (ERNIE-4.5-MoE, Qwen1.5-MoE, Qwen3-30B-A3B, OLMoE):
      priced 2.0 up to two layers (3.3 for two of 64 or more experts) and 3.9 from three.
      (Until round 9 the Mixtral price was used for both; rounds 8 and 9 measured the one-layer figure.)
    A whole model has many layers, so the last price of each pattern is the one users meet.
    """
    layers = min(arch.moe_layers, 4)
    if arch.model_type in _MIXTRAL_PATTERN:
        return 2.7 + 0.4 * (layers - 1)
    if layers == 2 and (arch.num_experts or 0) >= 64:
        # Two layers of many experts hold more: 3.33 for K-EXAONE's cut (128 experts; round 18, seen), where
        # FlexOlmo's two layers of 7 held 1.9-2.0.
        return 3.3
    return 2.0 if layers <= 2 else 3.9


def upcast_transient_bytes(arch: Architecture, experts: int) -> float:
    """What the PEFT script's fp32 upcast of a quantized model holds beyond the upcast model, at its worst moment.

    The script casts the 16-bit tensors bitsandbytes left (embeddings, each MoE layer's fused ``gate_up_proj`` and
    ``down_proj``, the untied head) to fp32 one at a time, in module order, and returns each old copy to the driver
    before the next (``upcast_frozen_weights``).  While tensor k is cast its old 16-bit copy (2 bytes a parameter)
    is alive beside the new one, and every tensor after it is still 16-bit, 2 bytes a parameter below its fp32
    price: so the excess is ``max_k 2 * (n_k - sum of n_j after k)``.  Untied, the head comes last (2 bytes per
    parameter of V x h); tied, the last layer's ``down_proj`` (2 x h x I x E) or, dense, the embeddings.
    Measured on the H200 (``load23.jsonl``, ``load23b.jsonl``; 1 x 512 tokens so the load is the worst moment),
    the load peak against static terms plus this: 0.3-1.1 % under on eleven fused-expert cuts of eleven families
    (Qwen3-235B, gpt-oss-120B, Moonlight, GLM-4.7-Flash, ERNIE-4.5, whole OLMoE, Trinity Mini, FlexOlmo,
    Mixtral-8x22B, Qwen2-57B, Solar Open; the last five priced before they ran), 0.15 GiB (4.4 %) under on
    Granite-3.1-3B's; four dense cuts, tied and untied, -1.4 to +1.5 %.  Before the script cast tensor by tensor,
    PEFT's own one-sweep cast kept the freed 16-bit blocks until it ended: 0.7-12.6 bytes per parameter of one
    layer's experts beyond the model, growing with depth and varying by family (no rule priced it within 2
    bytes), and 4 bytes per parameter of V x h on a dense model (its head's fp32 copy could not reuse the freed
    embeddings' block).
    """
    per_layer = experts / arch.moe_layers if experts else 0.0
    head = arch.vocab_size * arch.hidden_size
    sizes = [head] + [per_layer * 2 / 3, per_layer / 3] * (arch.moe_layers if experts else 0)
    if not arch.tie_word_embeddings:
        sizes.append(head)
    worst, after = 0.0, 0.0
    for n in reversed(sizes):
        worst = max(worst, 2.0 * (n - after))
        after += n
    return worst


def load_peak_bytes(profile: Profile, arch: Architecture, coef: Coefficients, framework: str = "peft") -> float:
    """Peak while loading: the static terms plus, with a quantized base, what the fp32 upcast holds beside them.

    The PEFT script casts the unquantized 16-bit tensors to fp32 one at a time (:func:`upcast_transient_bytes`);
    Axolotl's ``prepare_model_for_kbit_training`` casts them in one sweep (``coef.load_transient`` bytes per
    parameter of one V x h matrix, or of one layer's fused ``gate_up_proj`` experts, whichever is larger).  For
    small batches on large-vocabulary models this, not training, is the worst moment.
    """
    static = sum(static_bytes(profile, arch, coef, framework).values()) - expert_adapter_bytes(arch, profile, framework)
    stacking = 0.0
    if expert_params(arch) and arch.model_type in _PER_EXPERT_CHECKPOINT:
        stacking = stacking_bytes_per_param(arch) * expert_params(arch) / arch.moe_layers
    if profile.quantization == "none" or not (upcasts(profile) or framework == "unsloth"):
        return static + stacking
    if framework == "unsloth" and expert_params(arch):
        # Unsloth loads each layer's experts in 16-bit and quantizes them as they arrive: the load peaks at a
        # few bytes per parameter of one layer's experts beside the model (measured on the H200, the same with
        # one layer as with two or four, so not the whole model's experts).  Families not measured: a per-expert
        # checkpoint is first stacked in 16-bit as on the 16-bit path (tr-h6-unsloth-minimax-m2-L1-0: the load peak
        # at loader.py:1092 holds 12.1 GB, the stacked 16-bit layer beside the embeddings: 2.8 bytes per parameter of
        # its experts), a fused one costs what gpt-oss's does.
        per_layer = expert_params(arch) / arch.moe_layers
        if arch.model_type in _UNSLOTH_EXPERT_LOAD:
            return static + per_layer * _UNSLOTH_EXPERT_LOAD[arch.model_type]
        if arch.model_type in _PER_EXPERT_CHECKPOINT and arch.model_type not in _MIXTRAL_PATTERN:
            # Stacked with Qwen2-MoE's pattern (transformers conversion_mapping.py: qwen2_moe, olmoe, glm4_moe,
            # ernie4_5_moe, hunyuan_v1_moe, flex_olmo map to it): 3.6-3.7 bytes per parameter of one layer's
            # experts with one to four layers, as Qwen3-MoE's (measured on the H200, round 8: Qwen1.5-MoE 3.65,
            # Qwen2-57B 3.59, GLM-4.5-Air 3.65, Hunyuan-A13B 3.66, ERNIE-4.5 3.68; OLMoE 3.7; FlexOlmo 3.0, whose
            # peak is its training).  Round 8 was seen before this was added.
            return static + per_layer * _UNSLOTH_EXPERT_LOAD["qwen3_moe"]
        if arch.model_type in _PER_EXPERT_CHECKPOINT:
            return static + stacking
        return static + per_layer * _UNSLOTH_EXPERT_LOAD["gpt_oss"]
    # A quantized load builds the fused experts on the CPU first (no stacking transient measured on the GPU).
    experts = unquantized_expert_params(arch, profile.quantization, framework)
    if framework == "peft":
        return static + upcast_transient_bytes(arch, experts)
    transient = coef.load_transient * arch.vocab_size * arch.hidden_size
    if experts:
        transient = max(
            transient, coef.load_transient * 2 * arch.intermediate_size * arch.hidden_size * (arch.num_experts or 1)
        )
    return static + transient


def estimate(profile: Profile, arch: Architecture, framework: str = "peft") -> dict[str, float]:
    """Per-component peak memory in bytes for one GPU (single-GPU data layout).

    The total is the larger of the training peak (the sum of the terms) and the load peak
    (:func:`load_peak_bytes`); when loading is the worse moment, the difference is booked as
    ``allocator_and_buffers`` so the components still add up to the total.
    """
    coef = coefficients(framework)
    feats = features(profile, arch, framework)
    buffers = coef.head_quant * feats.pop("head_quant", 0.0) + coef.slack * feats.pop("slack", 0.0)
    logits = feats.pop("logits")
    activations = sum(getattr(coef, name) * value for name, value in feats.items())
    if framework == "axolotl" and not axolotl_kernels(arch):
        # Axolotl's fused LoRA kernels keep no dropout masks (its fit, on runs with dropout 0.05 and the kernels
        # on, found none); where the YAML switches them off, dropout costs what it costs on the PEFT path
        # (measured: Phi-3 16-bit without checkpointing, 15.5% above the estimate without this term).
        activations += coefficients("peft").dropout * feats.get("dropout", 0.0)
    static = static_bytes(profile, arch, coef, framework)
    static.update(sharded(static, profile, arch))
    terms = {
        **static,
        "activations": activations,
        "logits_and_loss": logits_bytes_per_element(profile, arch, coef, framework) * logits,
        "allocator_and_buffers": coef.fixed_gib * GIB + buffers,
    }
    load = load_peak_bytes(profile, arch, coef, framework) if profile.distributed in ("none", "ddp", "zero2") else 0.0
    shortfall = load - sum(terms.values())
    if shortfall > 0:
        terms["allocator_and_buffers"] += shortfall
    out = {k: v * coef.safety for k, v in terms.items()}
    out["cuda_context"] = coef.context_gib * GIB
    return out


def memory_estimate(
    profile: Profile,
    arch: Architecture,
    framework: str = "peft",
    budget_gib: float | None = None,
    margin_gib: float | None = None,
) -> MemoryEstimate:
    """The estimate as the public model, rounded to 0.01 GiB, judged against ``budget_gib``.

    ``fits`` is judged on the unrounded total, as the fitter judges it (a sum of rounded parts can exceed it by a
    few hundredths and turn a profile the fitter chose into one that does not fit).
    """
    parts = estimate(profile, arch, framework)
    breakdown = {k: round(v / GIB, 2) for k, v in parts.items()}
    exact = math.fsum(parts.values()) / GIB
    total = round(exact, 2)
    margin = safety_margin(budget_gib) if margin_gib is None else margin_gib
    fits = None if budget_gib is None else exact + margin <= budget_gib
    return MemoryEstimate(
        estimated_gib=total,
        budget_gib=budget_gib,
        fits=fits,
        safety_margin_gib=round(margin, 2),
        breakdown=breakdown,
        framework=framework,  # type: ignore[arg-type]
        model=arch.name,
        method=coefficients(framework).source,
    )


def safety_margin(budget_gib: float | None) -> float:
    """Head-room kept free of the budget: 5% of it, at least 0.5 GiB (other processes, driver, drift)."""
    if budget_gib is None:
        return 0.0
    return max(0.5, 0.05 * budget_gib)


def total_gib(profile: Profile, arch: Architecture, framework: str = "peft") -> float:
    return math.fsum(estimate(profile, arch, framework).values()) / GIB
