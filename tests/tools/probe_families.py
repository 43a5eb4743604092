#!/usr/bin/env python3
"""Probe every model family's facts from the real transformers, on tiny random models (CPU, offline).

Run with the ``train`` tool env's python::

    .toolenvs/train/bin/python tests/tools/probe_families.py [--family gemma2 ...] [--no-bnb]

For each family it builds the tiny config of ``make_tiny_model.py`` (the family's real config class, a few
layers, small hidden size, 4 experts for MoE) and prints one JSON object on stdout, ``{model_type: facts}``:

* ``architecture``: the class ``AutoModelForCausalLM.from_config`` builds (``AutoModelForImageTextToText``'s
  where the causal-LM auto class has no mapping for the config: ``causal_lm_auto`` false, mistral4 on 5.23);
  ``decoder_layer``: the class of the decoder's layers; ``gradient_checkpointing``:
  ``supports_gradient_checkpointing``.
* ``attn``: for each of eager / sdpa / flash_attention_2 / flex_attention, what happened when the model was
  instantiated with it: ``ok``; ``refused`` (the class says it does not support it: the error text is in
  ``attn_errors``); ``kernel-missing`` (the class accepts it, the package is not installed here, e.g.
  flash-attn on a CPU box); ``redirected`` (the class swaps it for another kernel, as gpt-oss swaps
  flash_attention_2 for a hub kernel, which is not the implementation asked for).
* ``attention_modules`` / ``mlp_modules``: the leaf names of every ``nn.Linear`` under the decoder layers'
  attention (or linear-attention / Mamba) and MLP blocks (what PEFT ``target_modules`` can match), in module
  order; routers and gates that are ``nn.Linear`` (Llama 4's router, Qwen3-Next's shared-expert gate) are
  listed apart in ``gate_linears``. ``decoder_path``: where the layers sit (``model.layers``, or
  ``model.language_model.layers`` in a multimodal wrapper); ``names_outside_decoder``: the target names that
  also match an ``nn.Linear`` outside the decoder (a vision tower), so a bare name reaches it too.
* ``expert_layout``: ``fused`` when an MLP block holds 3-D expert ``nn.Parameter``s, ``linear`` when its
  experts are ``nn.Linear`` modules, else None; ``expert_parameters``: the fused tensors' paths inside a
  decoder layer; ``router_module``: the router's path inside a decoder layer; ``router_is_linear``.
* ``experts_quantized``: ``{"4bit": bool, "8bit": bool}``: the tiny model saved, then loaded with
  bitsandbytes ``BitsAndBytesConfig(load_in_4bit / load_in_8bit)`` on the CPU; true when every expert
  tensor came back as a bitsandbytes parameter (``Params4bit`` / ``Int8Params``). ``linear_quantized``
  records the same for the attention projections, so a probe where nothing was quantized cannot pass as
  "experts stay 16-bit".
* ``final_logit_softcapping`` / ``attn_logit_softcapping`` / ``tie_word_embeddings``: the config class's
  defaults (a released config may override them; the catalog entry records that).

Nothing touches the network. Takes about a second per family plus the imports.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_tiny_model import FAMILIES, auto_model_class, build_config

ATTN = ("eager", "sdpa", "flash_attention_2", "flex_attention")
VOCAB = 128
IDS = {"unk": 0, "pad": 1, "bos": 2, "eos": 3}
ATTENTION_BLOCKS = ("self_attn", "self_attention", "attn", "attention", "linear_attn", "mamba")
MLP_BLOCKS = ("mlp", "feed_forward", "block_sparse_moe", "shared_mlp", "moe")


def decoder_layers(model):
    """The decoder's layer list (``model.layers``, ``model.language_model.layers``, ``transformer.h``, ...)."""
    from torch import nn

    count = model.config.get_text_config().num_hidden_layers
    for path, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and len(module) == count and "vision" not in path:
            return module
    raise SystemExit(f"{type(model).__name__}: no decoder layer list of length {count}")


def classify_attn(config, impl: str, model_class: type) -> tuple[str, str | None]:
    compatible = getattr(model_class, "_compatible_flash_implementations", None)
    if impl.startswith("flash_attention") and compatible and impl not in compatible:
        return (
            "redirected",
            f"{model_class.__name__} swaps {impl} for {compatible[0]} (its flash kernels: {compatible})",
        )
    try:
        model = auto_model_class(config).from_config(config, attn_implementation=impl)
    except ImportError as exc:  # the class accepts it; the package (flash-attn) is missing here
        return "kernel-missing", first_sentence(str(exc))
    except ValueError as exc:
        text = str(exc)
        if "does not support" in text:
            return "refused", first_sentence(text)
        if "GPU" in text or "not installed" in text or "package" in text:
            return "kernel-missing", first_sentence(text)
        return "refused", first_sentence(text)
    except Exception as exc:  # e.g. the hub-kernel redirect needs the `kernels` package or the network
        return "redirected", f"{type(exc).__name__}: {first_sentence(str(exc))}"
    used = model.config._attn_implementation
    if used != impl:
        return "redirected", f"asked for {impl}, the model uses {used}"
    return "ok", None


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def is_gate(leaf: str) -> bool:
    """A router or gate projection (MoE router, Hunyuan-MoE's ``gate.wg``, shared-expert gate): not a LoRA target."""
    return leaf in ("router", "gate", "wg") or leaf.endswith("_gate")


def linear_names(layers, blocks: tuple[str, ...], gates: bool = False) -> list[str]:
    """Leaf names of the nn.Linear modules under ``blocks`` of every layer (gates only, or all but gates)."""
    from torch import nn

    names: list[str] = []
    for layer in layers:
        for path, module in layer.named_modules():
            head = path.split(".", 1)[0]
            leaf = path.rsplit(".", 1)[-1]
            if head in blocks and isinstance(module, nn.Linear) and is_gate(leaf) == gates and leaf not in names:
                names.append(leaf)
    return names


def names_outside(model, layers, names: list[str]) -> list[str]:
    """Which of ``names`` also name an nn.Linear outside the decoder layers (a vision tower, a projector)."""
    from torch import nn

    inside = {id(m) for layer in layers for m in layer.modules()}
    found = {
        path.rsplit(".", 1)[-1]
        for path, module in model.named_modules()
        if isinstance(module, nn.Linear) and id(module) not in inside and path.rsplit(".", 1)[-1] in names
    }
    return [n for n in names if n in found]


def experts_of(layers):
    """(layout, fused parameter paths, router path, router is nn.Linear) over all decoder layers."""
    from torch import nn

    layout = None
    fused: list[str] = []
    router: str | None = None
    router_linear = False
    for layer in layers:
        for path, module in layer.named_modules():
            leaf = path.rsplit(".", 1)[-1]
            if path.split(".", 1)[0] not in MLP_BLOCKS:
                continue
            if leaf in ("gate", "router", "wg") and router is None and not isinstance(module, nn.ModuleList):
                weight = getattr(module, "weight", None)
                if weight is not None and weight.dim() == 2 and "shared" not in path:
                    router, router_linear = path, isinstance(module, nn.Linear)
            if leaf == "experts":
                if isinstance(module, nn.ModuleList):
                    layout = "linear"
                for name, param in module.named_parameters(recurse=False):
                    if param.dim() == 3:
                        layout = "fused"
                        if f"{path}.{name}" not in fused:
                            fused.append(f"{path}.{name}")
    return layout, fused, router, router_linear


def bnb_probe(config, fused: list[str]) -> tuple[dict[str, bool], dict[str, bool], dict[str, str]]:
    """Save the tiny model, load it with bitsandbytes 4-bit and 8-bit on the CPU, look at the tensors' types."""
    import torch
    from transformers import BitsAndBytesConfig

    experts: dict[str, bool] = {}
    linears: dict[str, bool] = {}
    kinds: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        auto_model_class(config).from_config(config, attn_implementation="eager").save_pretrained(tmp)
        for quant, qconfig in (
            ("4bit", BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.float32)),
            ("8bit", BitsAndBytesConfig(load_in_8bit=True)),
        ):
            model = auto_model_class(config).from_pretrained(
                tmp, quantization_config=qconfig, dtype=torch.float32, attn_implementation="eager"
            )
            layers = decoder_layers(model)
            params = dict(layers.named_parameters())
            bnb = {name: type(p).__name__ for name, p in params.items()}
            attn = [
                f"{path}.weight"
                for path, module in layers.named_modules()
                if isinstance(module, torch.nn.Linear) and path.split(".")[1] in ATTENTION_BLOCKS
            ]
            linears[quant] = bool(attn) and all(bnb[n] in ("Params4bit", "Int8Params") for n in attn)
            if fused:
                hits = [n for n in bnb if any(n.endswith(f) for f in fused)]
                experts[quant] = bool(hits) and all(bnb[n] in ("Params4bit", "Int8Params") for n in hits)
                kinds[quant] = ", ".join(sorted({f"{bnb[n]} {params[n].dtype}".replace("torch.", "") for n in hits}))
    return experts, linears, kinds


def peft_moves_mlp_targets(model_type: str, mlp_modules: list[str]) -> bool:
    """Whether PEFT's conversion of transformers-4 MoE targets rewrites any of these MLP names into target_parameters
    (the conditions ``convert_peft_config_for_transformers`` and ``_convert_peft_config_moe`` check, in order)."""
    from peft.utils import transformers_weight_conversion as conversion
    from transformers.conversion_mapping import get_checkpoint_conversion_mapping

    if get_checkpoint_conversion_mapping(model_type) is None:
        return False
    base = conversion._MODEL_TO_CONVERSION_PATTERN.get(model_type)
    mapping = conversion._MOE_TARGET_MODULE_MAPPING.get(base, {}) if base else {}
    if not mapping or not conversion._MOE_FUSED_TARGETS.get(base):
        return False
    return bool(set(mapping) & set(mlp_modules))


def probe(family: str, with_bnb: bool) -> dict[str, object]:
    config = build_config(family, VOCAB, IDS)
    model = auto_model_class(config).from_config(config, attn_implementation="eager")
    layers = decoder_layers(model)
    attn: dict[str, str] = {}
    errors: dict[str, str] = {}
    for impl in ATTN:
        status, message = classify_attn(config, impl, type(model))
        attn[impl] = status
        if message:
            errors[impl] = message
    attention_modules = linear_names(layers, ATTENTION_BLOCKS)
    mlp_modules = linear_names(layers, MLP_BLOCKS)
    decoder_path = next(path for path, module in model.named_modules() if module is layers)
    layout, fused, router, router_linear = experts_of(layers)
    defaults = type(config)()
    text_defaults = defaults.get_text_config()
    facts: dict[str, object] = {
        "model_type": config.model_type,
        "architecture": type(model).__name__,
        "causal_lm_auto": auto_model_class(config).__name__ == "AutoModelForCausalLM",
        "decoder_layer": type(layers[0]).__name__,
        "decoder_layers": sorted({type(layer).__name__ for layer in layers}),
        "gradient_checkpointing": bool(model.supports_gradient_checkpointing),
        "attn": attn,
        "attn_errors": errors,
        "decoder_path": decoder_path,
        "attention_modules": attention_modules,
        "mlp_modules": mlp_modules,
        "gate_linears": linear_names(layers, MLP_BLOCKS, gates=True),
        "names_outside_decoder": names_outside(model, layers, attention_modules + mlp_modules),
        "expert_layout": layout,
        "expert_parameters": fused,
        "router_module": router,
        "router_is_linear": router_linear,
        "final_logit_softcapping": getattr(text_defaults, "final_logit_softcapping", None),
        "attn_logit_softcapping": getattr(text_defaults, "attn_logit_softcapping", None),
        "tie_word_embeddings": bool(getattr(defaults, "tie_word_embeddings", False)),
        "peft_moves_mlp_targets": peft_moves_mlp_targets(config.model_type, mlp_modules),
    }
    if with_bnb:
        experts, linears, kinds = bnb_probe(config, fused)
        facts["experts_quantized"] = experts
        facts["linear_quantized"] = linears
        facts["expert_tensor_types"] = kinds
    return facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", action="append", choices=FAMILIES, help="probe only these (repeatable)")
    parser.add_argument("--no-bnb", action="store_true", help="skip the bitsandbytes loads")
    args = parser.parse_args(argv)

    import bitsandbytes
    import peft
    import torch
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    families = {family: probe(family, not args.no_bnb) for family in (args.family or FAMILIES)}
    versions = {
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "peft": peft.__version__,
        "bitsandbytes": bitsandbytes.__version__,
    }
    print(json.dumps({"versions": versions, "families": families}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
