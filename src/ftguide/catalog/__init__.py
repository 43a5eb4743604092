"""Look up model architectures and GPUs by name.

The catalogs themselves are plain data (``models.py``, ``gpus.py``).  This module turns an entry into a typed,
immutable record and resolves what a user types: a catalog name, a Hugging Face id, a size class such as
``7B`` or ``8x7B``, or a local ``config.json`` / model folder (read offline, never executed).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ftguide.catalog.families import Family, UnknownFamily, family_of
from ftguide.catalog.gpus import GPUS
from ftguide.catalog.models import MODELS
from ftguide.errors import InputError

_MAX_CONFIG_BYTES = 4 * 1024 * 1024

#: Module names for a config.json whose model_type has no family record: the Llama layout most models share.
_LLAMA_STYLE = (
    ("q_proj", "k_proj", "v_proj", "o_proj"),
    ("gate_proj", "up_proj", "down_proj"),
    ("q_proj", "v_proj"),
)


def find_family(model_type: str) -> Family | None:
    """The family record of ``model_type``, or None when ftguide has none."""
    try:
        return family_of(model_type)
    except UnknownFamily:
        return None


def model_family(spec: str) -> Family | None:
    """The family record of a model (catalog name, hub id or local config), or None when either is unknown."""
    try:
        return find_family(resolve_model(spec).model_type)
    except InputError:
        return None


#: Families whose attention gates its output with its own ``hidden -> heads x head_dim`` projection before o_proj,
#: ``o_proj(attn * sigmoid(gate_proj(x)))`` (AFMoE): one more h x q matrix a layer, which no catalog module name
#: reaches (it shares the MLP's gate_proj name).
GATED_ATTENTION = frozenset({"afmoe"})

#: Families whose full-attention q_proj also projects a sigmoid output gate, ``h -> 2 x heads x head_dim`` (Qwen3.5:
#: ``Qwen3_5Attention``, the queries and the gate chunked from one output, ``attn * sigmoid(gate)`` before o_proj;
#: Qwen3-Next's ``Qwen3NextAttention`` the same, per head).  These are also the families with Gated DeltaNet layers.
GATED_QUERY = frozenset({"qwen3_5_text", "qwen3_5_moe_text", "qwen3_next"})
#: Families whose Gated DeltaNet fuses its input projections (Qwen3-Next, transformers 5.23 modeling_qwen3_next.py
#: ``Qwen3NextGatedDeltaNet``: ``in_proj_qkvz`` h -> 2K + 2V, ``in_proj_ba`` h -> 2 Hv), where Qwen3.5 splits them.
FUSED_DELTANET = frozenset({"qwen3_next"})
#: Gated DeltaNet's module names (Qwen3.5's split projections, Qwen3-Next's fused ones): a linear-attention layer
#: holds these, not q/k/v/o.
LINEAR_ATTENTION_MODULES = frozenset(
    {"in_proj_qkv", "in_proj_z", "in_proj_b", "in_proj_a", "in_proj_qkvz", "in_proj_ba", "out_proj"}
)

#: The MLP's output projection under the names the catalog's families give it (intermediate -> hidden).
DOWN_PROJECTIONS = frozenset({"down_proj", "w2", "dense_4h_to_h", "fc2", "c_proj"})


@dataclass(frozen=True)
class Architecture:
    """The facts of a model's ``config.json`` that memory and target modules depend on."""

    name: str
    hf_id: str
    model_type: str
    architecture: str
    decoder_layer: str
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    intermediate_size: int
    vocab_size: int
    tie_word_embeddings: bool
    max_position_embeddings: int
    attention_bias: bool
    num_experts: int | None
    num_experts_per_tok: int | None
    final_logit_softcapping: float | None
    attention_modules: tuple[str, ...]
    mlp_modules: tuple[str, ...]
    min_modules: tuple[str, ...]
    params_b: float
    chat_template: str | None
    size_class: str | None
    license_gated: bool
    aliases: tuple[str, ...] = ()
    source: str = "catalog"
    """``catalog``, or the path of the config.json it was read from."""
    shared_expert_intermediate_size: int = 0
    """An MoE layer's shared expert MLP (every shared expert together: ``n_shared x moe_intermediate``), which
    every token runs beside its routed experts; its gate, up and down projections are ``nn.Linear``.  0: none."""
    shared_expert_gate: bool = False
    """Whether a sigmoid gate, ``nn.Linear(h, 1)``, scales the shared expert's output (Qwen2-MoE)."""
    dense_layers: int = 0
    """Decoder layers of an MoE model whose MLP is one dense MLP of ``dense_intermediate_size`` (GLM-4.5's and
    dots.llm1's first layers, ERNIE-4.5-MoE's first); the other layers are sparse."""
    dense_intermediate_size: int = 0
    qk_norm: bool | None = None
    """Whether the attention normalizes q and k per head (a checkpoint's ``use_qk_norm``: Command R+ and GLM-4.5
    set it, Command R and GLM-4.5-Air do not); None: as the family does (``memory.qk_norm``)."""
    kv_lora_rank: int = 0
    """Multi-head latent attention (DeepSeek-V3, Kimi K2, Moonlight, GLM-4.7-Flash): keys and values are projected
    down to this latent width (``kv_a_proj_with_mqa``, with the shared rotary key beside it), normalized, and
    projected back up to every head (``kv_b_proj``).  0: ordinary attention.  With it, ``head_dim`` is the query and
    key head width (``qk_nope_head_dim + qk_rope_head_dim``) and ``num_key_value_heads`` equals the query heads: the
    keys the attention reads are per head."""
    q_lora_rank: int = 0
    """The latent width queries pass through (``q_a_proj`` -> ``q_a_layernorm`` -> ``q_b_proj``); 0: one
    ``q_proj`` (Moonlight, DeepSeek-V2-Lite)."""
    qk_rope_head_dim: int = 0
    """The rotary part of each query and key head, shared by every head on the key side."""
    v_head_dim: int = 0
    """The value head width under latent attention (the attention output is ``heads x v_head_dim``)."""
    linear_attention_layers: int = 0
    """Decoder layers whose token mixer is Gated DeltaNet linear attention (Qwen3.5: ``layer_types``
    ``linear_attention``, 3 of 4) in place of the full attention; 0: none.  :meth:`layer_groups` gives them apart, as a
    group whose every layer is linear (:attr:`is_linear_attention`)."""
    linear_num_key_heads: int = 0
    linear_num_value_heads: int = 0
    linear_key_head_dim: int = 0
    linear_value_head_dim: int = 0
    linear_conv_kernel_dim: int = 0

    @property
    def q_dim(self) -> int:
        return self.num_attention_heads * self.head_dim

    @property
    def kv_dim(self) -> int:
        return self.num_key_value_heads * self.head_dim

    @property
    def is_linear_attention(self) -> bool:
        """Whether every layer of this (group's) shape is a linear-attention layer."""
        return 0 < self.num_hidden_layers <= self.linear_attention_layers

    @property
    def linear_key_dim(self) -> int:
        """Gated DeltaNet's query and key width, ``linear_num_key_heads x linear_key_head_dim``."""
        return self.linear_num_key_heads * self.linear_key_head_dim

    @property
    def linear_value_dim(self) -> int:
        """Gated DeltaNet's value (and output) width, ``linear_num_value_heads x linear_value_head_dim``."""
        return self.linear_num_value_heads * self.linear_value_head_dim

    def linear_attention_shapes(self) -> dict[str, tuple[int, int]]:
        """(in_features, out_features) of Gated DeltaNet's linear modules (Qwen3.5's split projections, or
        Qwen3-Next's fused ones: :data:`FUSED_DELTANET`)."""
        h, k, v, heads = self.hidden_size, self.linear_key_dim, self.linear_value_dim, self.linear_num_value_heads
        if self.model_type in FUSED_DELTANET:
            return {"in_proj_qkvz": (h, 2 * k + 2 * v), "in_proj_ba": (h, 2 * heads), "out_proj": (v, h)}
        return {
            "out_proj": (v, h),
            "in_proj_qkv": (h, 2 * k + v),
            "in_proj_z": (h, v),
            "in_proj_b": (h, heads),
            "in_proj_a": (h, heads),
        }

    @property
    def latent_attention(self) -> bool:
        """Whether the attention is multi-head latent attention (``kv_lora_rank``)."""
        return self.kv_lora_rank > 0

    def latent_attention_shapes(self) -> dict[str, tuple[int, int]]:
        """(in_features, out_features) of every linear module of a latent attention (empty otherwise)."""
        if not self.latent_attention:
            return {}
        h, heads, qk = self.hidden_size, self.num_attention_heads, self.head_dim
        nope = qk - self.qk_rope_head_dim
        shapes: dict[str, tuple[int, int]] = {}
        if self.q_lora_rank:
            shapes["q_a_proj"] = (h, self.q_lora_rank)
            shapes["q_b_proj"] = (self.q_lora_rank, heads * qk)
        else:
            shapes["q_proj"] = (h, heads * qk)
        shapes["kv_a_proj_with_mqa"] = (h, self.kv_lora_rank + self.qk_rope_head_dim)
        shapes["kv_b_proj"] = (self.kv_lora_rank, heads * (nope + self.v_head_dim))
        shapes["o_proj"] = (heads * self.v_head_dim, h)
        return shapes

    @property
    def gated_mlp(self) -> bool:
        """Whether a dense layer's MLP gates its up projection (``act(gate(x)) * up(x)``, three matrices) rather
        than activating it alone (``down(act(up(x)))``, two: Apertus, GPT-NeoX).  Read off the module names: two,
        neither of them Phi-3's fused ``gate_up_proj``, is the ungated shape."""
        modules = self.mlp_modules
        return bool(self.num_experts) or len(modules) != 2 or "gate_up_proj" in modules

    @property
    def mlp_matrices(self) -> int:
        """h x I matrices of a dense layer's MLP: 3 gated, 2 ungated."""
        return 3 if self.gated_mlp else 2

    @property
    def all_modules(self) -> tuple[str, ...]:
        return self.attention_modules + self.mlp_modules

    @property
    def moe_layers(self) -> int:
        """Decoder layers with routed experts (0 for a dense model)."""
        return self.num_hidden_layers - self.dense_layers if self.num_experts else 0

    def layer_groups(self) -> tuple[tuple[int, Architecture], ...]:
        """(count, shape of one such layer) for each kind of decoder layer.

        One group for most models.  An MoE model with dense layers has two: its sparse layers, and its dense
        ones as a dense architecture whose MLP is ``dense_intermediate_size`` wide.
        """
        if self.linear_attention_layers and self.linear_attention_layers < self.num_hidden_layers:
            # Qwen3.5 (no dense layers): its full-attention layers, and its linear-attention ones (is_linear_attention).
            full = replace(self, num_hidden_layers=self.num_hidden_layers - self.linear_attention_layers)
            full = replace(full, linear_attention_layers=0)
            linear = replace(self, num_hidden_layers=self.linear_attention_layers)
            return ((full.num_hidden_layers, full), (linear.num_hidden_layers, linear))
        if not self.num_experts or not self.dense_layers:
            return ((self.num_hidden_layers, self),)
        sparse = replace(self, num_hidden_layers=self.moe_layers, dense_layers=0, dense_intermediate_size=0)
        dense = replace(
            self,
            num_hidden_layers=self.dense_layers,
            num_experts=None,
            num_experts_per_tok=None,
            intermediate_size=self.dense_intermediate_size,
            shared_expert_intermediate_size=0,
            shared_expert_gate=False,
            dense_layers=0,
            dense_intermediate_size=0,
        )
        return ((sparse.num_hidden_layers, sparse), (dense.num_hidden_layers, dense))

    def per_layer_sum(self, per_layer: Callable[[Architecture], float]) -> float:
        """``per_layer`` summed over every decoder layer (each kind of layer priced by its own shape)."""
        return float(sum(count * per_layer(group) for count, group in self.layer_groups()))

    def widest_layer(self, per_layer: Callable[[Architecture], float]) -> float:
        """The largest ``per_layer`` among the kinds of decoder layer."""
        return float(max(per_layer(group) for _, group in self.layer_groups()))

    def module_shapes(self) -> dict[str, tuple[int, int, int]]:
        """(in_features, out_features, copies per layer) of each linear module of one decoder layer.

        In an MoE layer the MLP modules named are its shared expert's (the routed experts are fused
        parameters, which no module name reaches).
        """
        h, i, q, kv = self.hidden_size, self.intermediate_size, self.q_dim, self.kv_dim
        experts = self.num_experts or 1
        if self.num_experts and self.shared_expert_intermediate_size:
            i, experts = self.shared_expert_intermediate_size, 1
        shapes: dict[str, tuple[int, int, int]] = {}
        latent = self.latent_attention_shapes()
        # Keyed on the widths, not linear_attention_layers: the full-attention group of layer_groups() has none of
        # those layers but must still drop Gated DeltaNet's names (and the whole model's shapes are a full layer's).
        linear = self.linear_attention_shapes() if self.linear_num_value_heads else {}
        for name in self.attention_modules:
            # A layer holds either Gated DeltaNet's modules or the full attention's (Qwen3.5), never both.
            if linear and (name in LINEAR_ATTENTION_MODULES) != self.is_linear_attention:
                continue
            if name in linear:
                shapes[name] = (*linear[name], 1)
            elif name == "q_proj" and self.model_type in GATED_QUERY:
                shapes[name] = (h, 2 * q, 1)
            elif name in latent:
                shapes[name] = (*latent[name], 1)
            elif name in ("q_proj", "query"):
                shapes[name] = (h, q, 1)
            elif name in ("k_proj", "v_proj", "key", "value"):
                shapes[name] = (h, kv, 1)
            elif name in ("qkv_proj", "query_key_value", "c_attn", "Wqkv"):
                shapes[name] = (h, q + 2 * kv, 1)
            else:  # output projection
                shapes[name] = (q, h, 1)
        for name in self.mlp_modules:
            if name in DOWN_PROJECTIONS:
                shapes[name] = (i, h, experts)
            elif name in ("gate_up_proj",):
                shapes[name] = (h, 2 * i, experts)
            elif name == "gate" and self.num_experts:
                shapes[name] = (h, self.num_experts, 1)
            else:
                shapes[name] = (h, i, experts)
        return shapes

    def linear_params_per_layer(self) -> int:
        """Parameters of the decoder layer's linear weights (what 4-bit / 8-bit quantization stores)."""
        h, i, q, kv = self.hidden_size, self.intermediate_size, self.q_dim, self.kv_dim
        attn = h * q + 2 * h * kv + q * h + (h * q if self.model_type in GATED_ATTENTION else 0)
        if self.latent_attention:
            attn = sum(fan_in * fan_out for fan_in, fan_out in self.latent_attention_shapes().values())
        if self.model_type in GATED_QUERY:
            attn += h * q  # the output gate's half of q_proj
        if self.is_linear_attention:
            attn = sum(fan_in * fan_out for fan_in, fan_out in self.linear_attention_shapes().values())
        experts = self.num_experts or 1
        mlp = self.mlp_matrices * h * i * experts + (h * self.num_experts if self.num_experts else 0)
        if self.num_experts:
            mlp += 3 * h * self.shared_expert_intermediate_size + (h if self.shared_expert_gate else 0)
        return attn + mlp

    def decoder_linear_params(self) -> int:
        """Parameters of every decoder layer's linear weights (each kind of layer counted by its own shape)."""
        return sum(count * group.linear_params_per_layer() for count, group in self.layer_groups())

    def embedding_params(self) -> int:
        """Embedding plus output head (counted once when tied)."""
        return self.vocab_size * self.hidden_size * (1 if self.tie_word_embeddings else 2)

    def total_params(self) -> int:
        norms = (2 * self.num_hidden_layers + 1) * self.hidden_size
        norms += self.num_hidden_layers * (self.q_lora_rank + self.kv_lora_rank)  # latent attention's two norms
        # Gated DeltaNet's depthwise conv over q/k/v, A_log, dt_bias and its gated norm (no nn.Linear, never quantized).
        conv = (2 * self.linear_key_dim + self.linear_value_dim) * self.linear_conv_kernel_dim
        norms += self.linear_attention_layers * (conv + 2 * self.linear_num_value_heads + self.linear_value_head_dim)
        if self.model_type in GATED_QUERY:  # Qwen3.5's (Qwen3-Next's) full-attention layers: per-head q/k norm weights
            norms += (self.num_hidden_layers - self.linear_attention_layers) * 2 * self.head_dim
        return self.embedding_params() + self.decoder_linear_params() + norms


#: Facts a catalog entry may leave to its family record (catalog/families.py).
_FAMILY_FIELDS = ("architecture", "decoder_layer", "attention_modules", "mlp_modules", "min_modules")


def _architecture_from_entry(entry: dict[str, Any]) -> Architecture:
    fields = {f for f in Architecture.__dataclass_fields__ if f not in ("source",)}
    data = {k: entry[k] for k in fields if k in entry}
    family = find_family(str(entry["model_type"]))
    for key in _FAMILY_FIELDS:
        if key not in data and family is not None:
            data[key] = getattr(family, key)
    for key in ("attention_modules", "mlp_modules", "min_modules", "aliases"):
        data[key] = tuple(entry.get(key) or ())
    return Architecture(**data)


ARCHITECTURES: tuple[Architecture, ...] = tuple(_architecture_from_entry(e) for e in MODELS)


def _norm(name: str) -> str:
    return name.strip().lower()


def _build_index() -> dict[str, Architecture]:
    index: dict[str, Architecture] = {}
    for arch in ARCHITECTURES:
        for key in (arch.name, arch.hf_id, *arch.aliases):
            index.setdefault(_norm(key), arch)
            index.setdefault(_norm(key.rsplit("/", 1)[-1]), arch)
    return index


_INDEX = _build_index()


def _size_key(label: str) -> str:
    return label.strip().upper().replace("X", "x")


SIZE_CLASSES: dict[str, Architecture] = {_size_key(a.size_class): a for a in ARCHITECTURES if a.size_class}
_SIZE_RE = re.compile(r"^(\d+x)?\d+(\.\d+)?[bm]$", re.IGNORECASE)
_VARIANT_SUFFIXES = ("-instruct", "-it", "-chat", "-hf", "-base", "-bnb-4bit", "-unsloth-bnb-4bit")


def is_size_class(spec: str) -> bool:
    return bool(_SIZE_RE.match(spec.strip()))


def _strip_variants(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _VARIANT_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
    return key


def model_names() -> list[str]:
    return [a.name for a in ARCHITECTURES]


def resolve_model(spec: str) -> Architecture:
    """Resolve ``--model``: a catalog name / HF id, a size class, or a local config.json or model folder."""
    text = spec.strip()
    if not text:
        raise InputError("--model: must not be empty (a catalog name, HF id, size class like 7B, or a path)")
    path = Path(text)
    looks_like_path = text.startswith((".", "/", "~")) or text.endswith(".json") or path.exists()
    if looks_like_path and not (text.count("/") == 1 and not path.exists() and not text.endswith(".json")):
        try:
            path = path.expanduser()
        except RuntimeError as exc:  # "~name" of a user this machine does not know
            raise InputError(f"--model: cannot expand {text!r}: {exc}") from None
        return read_config(path)
    key = _norm(text)
    if key in _INDEX:
        return _INDEX[key]
    short = key.rsplit("/", 1)[-1]
    for candidate in (_strip_variants(key), _strip_variants(short)):
        if candidate in _INDEX:
            return _INDEX[candidate]
    if is_size_class(text):
        if _size_key(text) in SIZE_CLASSES:
            return SIZE_CLASSES[_size_key(text)]
        classes = ", ".join(sorted(SIZE_CLASSES, key=_size_sort_key))
        raise InputError(f"--model: no reference architecture for size class {text!r}; size classes: {classes}")
    close = difflib.get_close_matches(short, list(_INDEX), n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise InputError(
        f"--model: unknown model {text!r}{hint} (see `ftguide models`; a local config.json path also works)"
    )


def _size_sort_key(label: str) -> float:
    m = re.match(r"(?:(\d+)x)?(\d+(?:\.\d+)?)([BM])", label)
    if not m:
        return 0.0
    n = float(m.group(2)) * (1e-3 if m.group(3) == "M" else 1.0)
    return n * (int(m.group(1)) if m.group(1) else 1)


def _read_config_bytes(path: Path, where: str) -> bytes:
    """The bytes of a config.json: a regular file only (never a device or FIFO), at most the size cap."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{where}: no such file (expected a config.json or a model folder holding one)") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot read it ({_os_reason(exc)})") from None
    except ValueError:  # a NUL byte, which no path can hold (the OS is never asked)
        raise InputError(f"{where}: the path holds a NUL byte, which no file name can") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise InputError(f"{where}: not a regular file (a device, pipe or socket); expected a config.json")
        try:
            data = handle.read(_MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{where}: cannot read it ({_os_reason(exc)})") from None
    if len(data) > _MAX_CONFIG_BYTES:
        raise InputError(f"{where}: config.json larger than {_MAX_CONFIG_BYTES // 1024} KiB")
    return data


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENAMETOOLONG:
        return "a path component is longer than 255 characters"
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    return exc.strerror or type(exc).__name__


def _config_model() -> Any:
    """The pydantic model of the config.json fields ftguide reads: types and bounds checked before arithmetic."""
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field

    def count(most: int) -> Any:
        return Annotated[int, Field(ge=1, le=most)]

    def optional(most: int) -> Any:
        return Annotated[int | None, Field(default=None, ge=1, le=most)]

    def per_layer(most: int) -> Any:
        """A count that some configs give once per layer (Hunyuan-MoE's lists): an integer or a list of them."""
        bounded = Annotated[int, Field(ge=0, le=most)]
        return Annotated[bounded | Annotated[list[bounded], Field(max_length=100_000)] | None, Field(default=None)]

    class ConfigJson(BaseModel):
        """A Hugging Face config.json (or its ``text_config``), the fields the memory model uses."""

        model_config = ConfigDict(extra="ignore", strict=True, allow_inf_nan=False, frozen=True)

        hidden_size: count(1 << 20)  # type: ignore[valid-type]
        num_hidden_layers: count(100_000)  # type: ignore[valid-type]
        num_attention_heads: count(1 << 16)  # type: ignore[valid-type]
        vocab_size: optional(1 << 26)  # type: ignore[valid-type]
        intermediate_size: optional(1 << 24)  # type: ignore[valid-type]
        moe_intermediate_size: per_layer(1 << 24)  # type: ignore[valid-type]
        kv_lora_rank: Annotated[int | None, Field(default=None, ge=0, le=1 << 20)]
        """Multi-head latent attention's widths (DeepSeek-V3's names); kv_lora_rank absent or 0: none."""
        q_lora_rank: Annotated[int | None, Field(default=None, ge=0, le=1 << 20)]
        qk_rope_head_dim: Annotated[int | None, Field(default=None, ge=0, le=1 << 16)]
        qk_nope_head_dim: Annotated[int | None, Field(default=None, ge=0, le=1 << 16)]
        v_head_dim: optional(1 << 16)  # type: ignore[valid-type]
        num_key_value_heads: optional(1 << 16)  # type: ignore[valid-type]
        head_dim: optional(1 << 16)  # type: ignore[valid-type]
        max_position_embeddings: optional(1 << 30)  # type: ignore[valid-type]
        num_local_experts: optional(1 << 16)  # type: ignore[valid-type]
        num_experts: optional(1 << 16)  # type: ignore[valid-type]
        num_experts_per_tok: optional(1 << 16)  # type: ignore[valid-type]
        moe_num_experts: optional(1 << 16)  # type: ignore[valid-type]
        """ERNIE-4.5-MoE's names for the expert count and top-k; Hunyuan's top-k (one per layer)."""
        n_routed_experts: optional(1 << 16)  # type: ignore[valid-type]
        """GLM-4.5's and dots.llm1's (DeepSeek's) name for the routed expert count."""
        moe_k: optional(1 << 16)  # type: ignore[valid-type]
        moe_topk: per_layer(1 << 16)  # type: ignore[valid-type]
        shared_expert_intermediate_size: optional(1 << 24)  # type: ignore[valid-type]
        """The shared expert's width: Qwen2-MoE's name, and Granite-MoE-Shared's below; the others count
        shared experts of the routed experts' width."""
        shared_intermediate_size: optional(1 << 24)  # type: ignore[valid-type]
        n_shared_experts: Annotated[int | None, Field(default=None, ge=0, le=1 << 16)]
        num_shared_experts: Annotated[int | None, Field(default=None, ge=0, le=1 << 16)]
        moe_num_shared_experts: Annotated[int | None, Field(default=None, ge=0, le=1 << 16)]
        num_shared_expert: per_layer(1 << 16)  # type: ignore[valid-type]
        use_mixed_mlp_moe: bool | None = None
        """Hunyuan-MoE runs its shared experts only when this is set."""
        first_k_dense_replace: Annotated[int | None, Field(default=None, ge=0, le=100_000)]
        num_dense_layers: Annotated[int | None, Field(default=None, ge=0, le=100_000)]
        """AFMoE's leading dense layers (first_k_dense_replace's meaning)."""
        moe_layer_start_index: Annotated[int | None, Field(default=None, ge=0, le=100_000)]
        moe_layer_end_index: Annotated[int | None, Field(default=None, ge=-1, le=100_000)]
        moe_layer_interval: optional(100_000)  # type: ignore[valid-type]
        moe_layer_num_skipped: Annotated[int | None, Field(default=None, ge=0, le=100_000)]
        decoder_sparse_step: optional(100_000)  # type: ignore[valid-type]
        mlp_only_layers: Annotated[
            list[Annotated[int, Field(ge=0, le=100_000)]] | None, Field(default=None, max_length=100_000)
        ]
        moe_layers: Annotated[
            list[Annotated[int, Field(ge=0, le=100_000)]] | None, Field(default=None, max_length=100_000)
        ]
        """Llama 4's sparse layers by index; without it, every ``interleave_moe_layer_step``-th layer."""
        interleave_moe_layer_step: optional(100_000)  # type: ignore[valid-type]
        intermediate_size_mlp: optional(1 << 24)  # type: ignore[valid-type]
        """Llama 4's dense-layer width (its intermediate_size is the experts' and the shared expert's)."""
        prefix_dense_intermediate_size: optional(1 << 24)  # type: ignore[valid-type]
        """Cohere2-MoE's dense-layer width (its intermediate_size is the experts')."""
        mlp_layer_types: Annotated[
            list[Annotated[str, Field(max_length=40)]] | None, Field(default=None, max_length=100_000)
        ]
        """Cohere2-MoE's MLP kind per layer, as transformers saves it (it reads first_k_dense_replace into it)."""
        final_logit_softcapping: Annotated[float | None, Field(default=None, gt=0, le=1e6)]
        tie_word_embeddings: bool | None = None
        attention_bias: bool | None = None
        use_qkv_bias: bool | None = None
        use_qk_norm: bool | None = None
        """StableLM's name for the q/k/v biases."""
        qkv_bias: bool | None = None
        """InternLM's name for them."""
        model_type: Annotated[str | None, Field(default=None, max_length=200)]
        layer_types: Annotated[
            list[Annotated[str, Field(max_length=40)]] | None, Field(default=None, max_length=100_000)
        ]
        """Qwen3.5's token mixer per layer (``linear_attention`` / ``full_attention``)."""
        full_attention_interval: optional(100_000)  # type: ignore[valid-type]
        linear_num_key_heads: optional(1 << 16)  # type: ignore[valid-type]
        linear_num_value_heads: optional(1 << 16)  # type: ignore[valid-type]
        linear_key_head_dim: optional(1 << 16)  # type: ignore[valid-type]
        linear_value_head_dim: optional(1 << 16)  # type: ignore[valid-type]
        linear_conv_kernel_dim: optional(1 << 10)  # type: ignore[valid-type]
        architectures: Annotated[list[Annotated[str, Field(max_length=200)]] | None, Field(default=None)]

    return ConfigJson


def _config_error(exc: Any, where: str) -> InputError:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "config"
    value = first.get("input")
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    if first.get("type") == "missing":
        return InputError(
            f"{where}: config.json lacks {field} (needs positive hidden_size, num_hidden_layers, "
            "num_attention_heads, vocab_size)"
        )
    return InputError(f"{where}: config.json {field}: {first.get('msg', 'invalid value')} (got {shown})")


def read_config(path: Path) -> Architecture:
    """Read a Hugging Face ``config.json`` (or the one inside a model folder) into an Architecture.

    Bounded and checked at the edge: a regular file of at most 4 MiB, read once; every field the memory
    model uses has its type and a bound (``hidden_size: Infinity``, ``-1`` or ``"4096"`` is refused, naming
    the field), so no arithmetic downstream meets a value it cannot handle.
    """
    from pydantic import ValidationError

    where = f"--model: {_shown(path)}"
    try:
        if path.is_dir():
            path = path / "config.json"
    except OSError as exc:
        raise InputError(f"{where}: cannot read it ({_os_reason(exc)})") from None
    data = _read_config_bytes(path, where)

    def refuse_constant(word: str) -> Any:
        raise InputError(f"{where}: config.json holds {word}, which is no number a config can use")

    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > 19:
            raise InputError(f"{where}: config.json holds an integer of {len(digits)} digits (at most 19)")
        return int(digits)

    try:
        raw = json.loads(data.decode("utf-8-sig"), parse_constant=refuse_constant, parse_int=bounded_int)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{where}: not a readable JSON config ({type(exc).__name__})") from None
    except RecursionError:
        raise InputError(f"{where}: config.json is nested too deeply") from None
    if not isinstance(raw, dict):
        raise InputError(f"{where}: config.json must hold a JSON object")
    text_config = raw.get("text_config")
    cfg: dict[str, Any] = text_config if isinstance(text_config, dict) else raw
    merged = dict(cfg)
    for key in ("vocab_size", "tie_word_embeddings", "architectures", "model_type"):
        if merged.get(key) is None and raw.get(key) is not None:
            merged[key] = raw[key]
    if raw.get("tie_word_embeddings") is not None:  # the top level decides for multimodal configs
        merged["tie_word_embeddings"] = raw["tie_word_embeddings"]
    if raw.get("architectures") is not None:
        merged["architectures"] = raw["architectures"]
    try:
        c = _config_model().model_validate(merged)
    except ValidationError as exc:
        raise _config_error(exc, where) from None
    if c.vocab_size is None:
        raise InputError(f"{where}: config.json lacks vocab_size")
    hidden, heads = c.hidden_size, c.num_attention_heads
    head_dim = c.head_dim or hidden // heads
    if head_dim < 1:
        raise InputError(f"{where}: config.json has more attention heads ({heads}) than hidden_size ({hidden})")
    latent = _latent_attention(c, where)
    if latent:
        head_dim = latent["head_dim"]
    # The top-level model_type names the class that loads (gemma3, not its text_config's gemma3_text).
    top = raw.get("model_type")
    model_type = top if isinstance(top, str) and find_family(top) is not None else c.model_type or "llama"
    # AutoConfig loads a mistral config.json that has layer_types as Ministral (interleaved sliding layers).
    as_ministral = model_type == "mistral" and "layer_types" in cfg
    model_type = "ministral" if as_ministral else model_type
    family = find_family(model_type)
    _refuse_what_transformers_refuses(model_type, cfg, where)
    attn, mlp, minimum = (
        (family.targetable_attention_modules, family.targetable_mlp_modules, family.min_modules)
        if family is not None
        else _LLAMA_STYLE
    )
    if latent and not latent["q_lora_rank"]:
        attn, minimum = without_query_latent(attn), without_query_latent(minimum)
    experts, shared, dense_layers = _moe_layout(c)
    linear = _linear_attention(c, model_type)
    layered = bool(experts and (shared or dense_layers))
    arch = Architecture(
        name=path.parent.name or "local",
        hf_id=str(path.parent),
        model_type=model_type,
        architecture=family.architecture
        if family is not None and (as_ministral or top in _TEXT_MODEL_LOADS_ALONE or model_type in _BUILT_AS_LLAMA)
        else (c.architectures or ["AutoModelForCausalLM"])[0],
        decoder_layer=family.decoder_layer if family is not None else "",
        hidden_size=hidden,
        num_hidden_layers=c.num_hidden_layers,
        num_attention_heads=heads,
        num_key_value_heads=heads if latent else c.num_key_value_heads or heads,
        head_dim=head_dim,
        intermediate_size=_most(c.moe_intermediate_size) or c.intermediate_size or 4 * hidden,
        vocab_size=c.vocab_size,
        tie_word_embeddings=True if c.tie_word_embeddings is None else c.tie_word_embeddings,
        max_position_embeddings=c.max_position_embeddings or 2048,
        attention_bias=next(
            (b for b in (c.attention_bias, c.use_qkv_bias, c.qkv_bias) if b is not None),
            model_type in ("qwen2", "qwen2_moe"),  # Qwen2 and Qwen2-MoE always had q/k/v biases (qkv_bias: true)
        ),
        num_experts=experts,
        num_experts_per_tok=(c.num_experts_per_tok or c.moe_k or _most(c.moe_topk)) if experts else None,
        final_logit_softcapping=c.final_logit_softcapping,
        attention_modules=attn,
        mlp_modules=mlp if layered or not experts else (),
        min_modules=minimum,
        params_b=0.0,
        chat_template=None,
        size_class=None,
        license_gated=False,
        source=str(path),
        shared_expert_intermediate_size=shared,
        shared_expert_gate=bool(shared) and model_type in _GATED_SHARED_EXPERT,
        dense_layers=dense_layers,
        dense_intermediate_size=(
            c.intermediate_size_mlp or c.prefix_dense_intermediate_size or c.intermediate_size or 4 * hidden
        )
        if dense_layers
        else 0,
        qk_norm=c.use_qk_norm,
        kv_lora_rank=latent.get("kv_lora_rank", 0),
        q_lora_rank=latent.get("q_lora_rank", 0),
        qk_rope_head_dim=latent.get("qk_rope_head_dim", 0),
        v_head_dim=latent.get("v_head_dim", 0),
        linear_attention_layers=linear.get("linear_attention_layers", 0),
        linear_num_key_heads=linear.get("linear_num_key_heads", 0),
        linear_num_value_heads=linear.get("linear_num_value_heads", 0),
        linear_key_head_dim=linear.get("linear_key_head_dim", 0),
        linear_value_head_dim=linear.get("linear_value_head_dim", 0),
        linear_conv_kernel_dim=linear.get("linear_conv_kernel_dim", 0),
    )
    return _with_params(arch)


def _linear_attention(c: Any, model_type: str) -> dict[str, int]:
    """Gated DeltaNet's layer count and widths from a config.json of a family that has it (Qwen3.5, Qwen3-Next),
    else empty.

    The layers are ``layer_types``' ``linear_attention`` ones; without layer_types, transformers' default: every layer
    but each ``full_attention_interval``-th (4)."""
    if model_type not in GATED_QUERY:
        return {}
    layers = c.num_hidden_layers
    if c.layer_types is not None:
        linear = sum(1 for kind in c.layer_types[:layers] if kind == "linear_attention")
    else:
        interval = c.full_attention_interval or 4
        linear = sum(1 for n in range(layers) if (n + 1) % interval)
    return {
        "linear_attention_layers": linear,
        "linear_num_key_heads": c.linear_num_key_heads or 16,
        "linear_num_value_heads": c.linear_num_value_heads or 32,
        "linear_key_head_dim": c.linear_key_head_dim or 128,
        "linear_value_head_dim": c.linear_value_head_dim or 128,
        "linear_conv_kernel_dim": c.linear_conv_kernel_dim or 4,
    }


def without_query_latent(modules: tuple[str, ...]) -> tuple[str, ...]:
    """A latent-attention family's module names for a checkpoint without a query latent (``q_lora_rank`` null:
    Moonlight), whose queries come from one ``q_proj`` in place of ``q_a_proj`` and ``q_b_proj``."""
    return tuple(dict.fromkeys("q_proj" if m in ("q_a_proj", "q_b_proj") else m for m in modules))


def _latent_attention(c: Any, where: str) -> dict[str, int]:
    """Multi-head latent attention's widths from a config.json (empty when ``kv_lora_rank`` is absent or 0)."""
    if not c.kv_lora_rank:
        return {}
    missing = [n for n in ("qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim") if getattr(c, n) is None]
    if missing:
        raise InputError(f"{where}: config.json sets kv_lora_rank (latent attention) but lacks {', '.join(missing)}")
    return {
        "head_dim": c.qk_nope_head_dim + c.qk_rope_head_dim,
        "kv_lora_rank": c.kv_lora_rank,
        "q_lora_rank": c.q_lora_rank or 0,
        "qk_rope_head_dim": c.qk_rope_head_dim,
        "v_head_dim": c.v_head_dim,
    }


#: Families whose shared expert's output a sigmoid gate scales (``shared_expert_gate``, an nn.Linear(h, 1)).
_GATED_SHARED_EXPERT = frozenset({"qwen2_moe", "qwen3_5_moe_text", "qwen3_next"})
#: Multimodal model types that AutoModelForCausalLM builds as their text model alone, from ``text_config``
#: (transformers 5.23 maps llama4 to Llama4ForCausalLM, and qwen3_5 / qwen3_5_moe to Qwen3_5(Moe)ForCausalLM, "VLM
#: compatibility", dropping model.visual.*): the architecture is the text family's class, not the ``architectures``
#: entry (Llama4ForConditionalGeneration, Qwen3_5ForConditionalGeneration).
_TEXT_MODEL_LOADS_ALONE = frozenset({"llama4", "qwen3_5", "qwen3_5_moe"})
#: Config fields that transformers' strict config classes type as bool, per model type, where a released config.json
#: holds another type: Llama 4 Scout's ``attn_temperature_tuning`` is 4 in Meta's file, and ``Llama4TextConfig``
#: (transformers 5.16.1 and 5.23, checked) refuses it ("expected bool, got int") before any weight loads.
_TEMPERATURE = ("attn_temperature_tuning",)
_BOOL_FIELDS: dict[str, tuple[str, ...]] = {"llama4": _TEMPERATURE, "llama4_text": _TEMPERATURE}


def _refuse_what_transformers_refuses(model_type: str, cfg: dict[str, Any], where: str) -> None:
    """One clear line for a config.json the pinned transformers would refuse to load (``_BOOL_FIELDS``)."""
    for name in _BOOL_FIELDS.get(model_type, ()):
        value = cfg.get(name)
        if value is not None and not isinstance(value, bool):
            shown = json.dumps(value)[:40]
            raise InputError(
                f"{where}: config.json sets {name} to {shown}, and transformers (5.16.1, 5.23) takes only true or "
                f"false there and refuses to load the file: set it to {'true' if value else 'false'}"
            )


#: Model types whose config.json names a remote-code class (InternLM3ForCausalLM) that transformers 5.23 does
#: not have: its auto mapping builds them as LlamaForCausalLM, which their family record names.
_BUILT_AS_LLAMA = frozenset({"internlm3"})
#: Families whose every MoE layer holds one shared expert of the routed width, which no config field names
#: (Llama 4: ``Llama4TextMoe.shared_expert``).
_ONE_SHARED_EXPERT = frozenset({"llama4", "llama4_text"})


def _most(value: int | list[int] | None) -> int | None:
    """A per-layer count read as its largest value (memory is priced for the widest layer); None when absent."""
    if isinstance(value, list):
        return max(value) if value else None
    return value


def _moe_layout(c: Any) -> tuple[int | None, int, int]:
    """(routed experts or None, shared expert width, dense layers) from a config.json's MoE fields.

    Shared experts: Qwen2-MoE and Granite-MoE-Shared give their width; GLM-4.5, dots.llm1, DeepSeek, ERNIE-4.5
    and Hunyuan give a count of experts of the routed width; Llama 4 has one, named by no field.  Dense layers:
    ``first_k_dense_replace`` (GLM-4.5, dots.llm1; AFMoE's ``num_dense_layers``), ERNIE's
    ``moe_layer_start_index`` / ``_end_index`` / ``_interval``, Llama 4's ``moe_layers`` /
    ``interleave_moe_layer_step``, Cohere2-MoE's ``mlp_layer_types`` (the ``"dense"`` ones, where no
    ``first_k_dense_replace`` is given), Qwen-MoE's ``mlp_only_layers`` and ``decoder_sparse_step``, Hunyuan's
    ``moe_layer_num_skipped``.
    """
    experts = c.num_local_experts or c.num_experts or c.moe_num_experts or c.n_routed_experts
    if not experts:
        return None, 0, 0
    layers = c.num_hidden_layers
    routed = _most(c.moe_intermediate_size) or c.intermediate_size or 4 * c.hidden_size
    shared = c.shared_expert_intermediate_size or c.shared_intermediate_size or 0
    if not shared:
        count = c.n_shared_experts or c.num_shared_experts or c.moe_num_shared_experts or 0
        if not count and c.use_mixed_mlp_moe:
            count = _most(c.num_shared_expert) or 0
        if not count and c.model_type in _ONE_SHARED_EXPERT:
            count = 1
        shared = count * routed
    if c.first_k_dense_replace or c.num_dense_layers:
        dense = min(layers, c.first_k_dense_replace or c.num_dense_layers)
    elif c.moe_layer_start_index is not None:
        end = c.moe_layer_end_index if c.moe_layer_end_index is not None and c.moe_layer_end_index >= 0 else layers - 1
        step = c.moe_layer_interval or 1
        start = c.moe_layer_start_index
        dense = layers - sum(1 for n in range(layers) if start <= n <= end and (n - start) % step == 0)
    elif c.moe_layers is not None or (c.interleave_moe_layer_step or 1) > 1:
        step = c.interleave_moe_layer_step or 1
        sparse = set(c.moe_layers) if c.moe_layers is not None else set(range(step - 1, layers, step))
        dense = layers - sum(1 for n in range(layers) if n in sparse)
    elif c.mlp_layer_types is not None:
        dense = sum(1 for kind in c.mlp_layer_types if kind == "dense")
    elif c.mlp_only_layers or (c.decoder_sparse_step or 1) > 1:
        step, only = c.decoder_sparse_step or 1, set(c.mlp_only_layers or ())
        dense = layers - sum(1 for n in range(layers) if n not in only and (n + 1) % step == 0)
    else:
        dense = min(layers, c.moe_layer_num_skipped or 0)
    if dense >= layers:
        return None, 0, 0
    return experts, shared, dense


def _shown(path: Path) -> str:
    """A path for a message: control characters escaped, a very long one shortened."""
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(path))
    return text if len(text) <= 160 else f"{text[:100]}...{text[-50:]}"


def _with_params(arch: Architecture) -> Architecture:
    return replace(arch, params_b=round(arch.total_params() / 1e9, 3))


# --------------------------------------------------------------------------------------------------- GPUs


@dataclass(frozen=True)
class GPU:
    name: str
    memory_gib: float
    compute_capability: str | None
    bf16: bool
    flash_attention: bool
    fp8: bool
    bf16_tflops: float
    memory_bandwidth_gbs: float
    vendor: str
    aliases: tuple[str, ...] = ()


def _gpu_from_entry(entry: dict[str, Any]) -> GPU:
    return GPU(**{**entry, "aliases": tuple(entry.get("aliases") or ())})


GPU_CATALOG: tuple[GPU, ...] = tuple(_gpu_from_entry(g) for g in GPUS)


def _gpu_key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


_GPU_INDEX: dict[str, GPU] = {}
for _gpu in GPU_CATALOG:
    for _key in (_gpu.name, *_gpu.aliases):
        _GPU_INDEX.setdefault(_gpu_key(_key), _gpu)
        _GPU_INDEX.setdefault(_gpu_key(_key).replace("-", ""), _gpu)


def resolve_gpu(spec: str) -> GPU:
    key = _gpu_key(spec)
    for candidate in (
        key,
        key.replace("-", ""),
        key.removeprefix("nvidia-"),
        key.removeprefix("nvidia-").replace("-", ""),
    ):
        if candidate in _GPU_INDEX:
            return _GPU_INDEX[candidate]
    # Match against every spelling (names and aliases such as "3090"), then name the cards they belong to.
    spellings = difflib.get_close_matches(key, list(_GPU_INDEX), n=12, cutoff=0.5)
    close = list(dict.fromkeys(_GPU_INDEX[s].name for s in spellings))[:3]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise InputError(f"--gpu: unknown GPU {spec!r}{hint} (see `ftguide gpus`)")


def expand_targets(spec: str | list[str], arch: Architecture) -> list[str]:
    """Turn a preset (qv, attention, all) or a list / comma list of names into module names of ``arch``."""
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key == "qv":
            return list(arch.min_modules)
        if key == "attention":
            return list(arch.attention_modules)
        if key in ("all", "all-linear"):
            return list(arch.all_modules)
        names = [n.strip() for n in spec.split(",") if n.strip()]
    else:
        names = list(spec)
    return list(dict.fromkeys(names))
