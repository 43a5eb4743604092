"""What one Gated DeltaNet token mixer (Qwen3.5, Qwen3-Next) saves for its backward, per token, counted on the CPU.

    .toolenvs/train/bin/python calibration/linear_mixer_trace.py [OUT.json] [--widths H,HK,HV,DK,DV ...]
        [--family qwen3_5|qwen3_next]

The PEFT script's stack has no flash-linear-attention, so transformers runs its PyTorch fallbacks, whose saved
tensors do not depend on the device: this builds one ``Qwen3_5GatedDeltaNet`` (``--family qwen3_next``:
``Qwen3NextGatedDeltaNet``, whose input projections are fused, in_proj_qkvz and in_proj_ba) at the given widths (random
weights, frozen, as LoRA leaves them), runs it forward under bf16 autocast (as the Trainer does) on an input that
needs its gradient, and adds up the distinct storages autograd saved that are still alive once the forward returns
(weights, their autocast copies and the zero initial state are left out: they do not grow with the tokens).  Two
sequence lengths give the slope, the bytes per token that ``ftguide.memory.linear_attention_bytes`` prices; the
layer's input is bf16 (a 16-bit run) or fp32 (PEFT's upcast under a quantized base).  Rows of ``--family
qwen3_next`` carry ``"family": "qwen3_next"``; rows without the key are Qwen3.5's.
"""

from __future__ import annotations

import argparse
import json
import sys
import weakref
from pathlib import Path

#: The widths traced: Qwen3.5-9B's and -35B-A3B's mixer (16 key heads and 32 value heads of 128), and two others
#: whose key and value widths differ, so that each term's unit is pinned.
WIDTHS = ((4096, 16, 32, 128, 128), (2048, 8, 16, 64, 128), (1024, 4, 8, 128, 64))
SEQS = (1024, 2048)


FAMILIES = ("qwen3_5", "qwen3_next")


def saved_bytes(widths: tuple[int, int, int, int, int], fp32: bool, seq: int, family: str = "qwen3_5") -> int:
    import torch

    if family == "qwen3_next":
        from transformers import Qwen3NextConfig as Config
        from transformers.models.qwen3_next.modeling_qwen3_next import Qwen3NextGatedDeltaNet as Mixer
    else:
        from transformers import Qwen3_5TextConfig as Config
        from transformers.models.qwen3_5.modeling_qwen3_5 import Qwen3_5GatedDeltaNet as Mixer

    hidden, key_heads, value_heads, key_dim, value_dim = widths
    config = Config(
        hidden_size=hidden,
        linear_num_key_heads=key_heads,
        linear_num_value_heads=value_heads,
        linear_key_head_dim=key_dim,
        linear_value_head_dim=value_dim,
        linear_conv_kernel_dim=4,
        num_hidden_layers=1,
        layer_types=["linear_attention"],
    )
    torch.manual_seed(0)
    dtype = torch.float32 if fp32 else torch.bfloat16
    mixer = Mixer(config, 0).to(dtype)
    mixer.requires_grad_(False)
    refs: list[weakref.ref] = []

    def pack(tensor):  # type: ignore[no-untyped-def]
        if tensor.grad_fn is not None or tensor.requires_grad:
            refs.append(weakref.ref(tensor))
        return tensor

    x = torch.randn(1, seq, hidden, dtype=dtype, requires_grad=True)
    hooks = torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor)
    with hooks, torch.autocast("cpu", dtype=torch.bfloat16):
        out = mixer(x)
    storages: dict[int, int] = {}
    for ref in refs:
        tensor = ref()
        if tensor is not None:
            storage = tensor.untyped_storage()
            storages[storage.data_ptr()] = storage.nbytes()
    del out
    return sum(storages.values())


def trace(
    widths: tuple[tuple[int, int, int, int, int], ...] = WIDTHS, family: str = "qwen3_5"
) -> list[dict[str, object]]:
    rows = []
    for w in widths:
        for fp32 in (False, True):
            short, long = (saved_bytes(w, fp32, seq, family) for seq in SEQS)
            rows.append(
                {
                    **({"family": family} if family != "qwen3_5" else {}),
                    "hidden": w[0],
                    "key_heads": w[1],
                    "value_heads": w[2],
                    "key_head_dim": w[3],
                    "value_head_dim": w[4],
                    "input": "fp32" if fp32 else "bf16",
                    "tokens": list(SEQS),
                    "saved_bytes": [short, long],
                    "bytes_per_token": (long - short) / (SEQS[1] - SEQS[0]),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--widths", nargs="*", help="H,HK,HV,DK,DV (default: the committed three)")
    parser.add_argument("--family", choices=FAMILIES, default="qwen3_5", help="whose mixer (default: qwen3_5)")
    args = parser.parse_args()
    widths = tuple(tuple(int(x) for x in w.split(",")) for w in args.widths) if args.widths else WIDTHS
    rows = trace(widths, args.family)  # type: ignore[arg-type]
    import torch
    import transformers

    doc = {"torch": torch.__version__, "transformers": transformers.__version__, "autocast": "cpu bf16", "rows": rows}
    text = json.dumps(doc, indent=1) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
