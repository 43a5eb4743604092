#!/usr/bin/env python3
"""Whether Axolotl's fused LoRA attention kernels can patch a model's attention class.

Run with the ``axolotl`` tool env's python, offline::

    .toolenvs/axolotl/bin/python tests/tools/axolotl_kernel_probe.py MODEL_DIR ...

For each folder (a ``config.json``, weights not needed) it calls Axolotl's own
``axolotl.monkeypatch.lora_kernels.patch_self_attn_lora``, the source rewrite ``axolotl train`` applies when
``lora_qkv_kernel`` / ``lora_o_kernel`` are on (Axolotl switches them on by default), and restores the class
afterwards.  Output (stdout, one JSON object): ``{"results": [{"model": DIR, "patchable": bool, "error": str}]}``.
"""

from __future__ import annotations

import json
import logging
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")


def main() -> int:
    logging.disable(logging.WARNING)
    from axolotl.monkeypatch.lora_kernels import get_attention_cls_from_config, patch_self_attn_lora
    from axolotl.utils.dict import DictDefault

    results = []
    for folder in sys.argv[1:]:
        cfg = DictDefault({"base_model": folder, "lora_qkv_kernel": True, "lora_o_kernel": True})
        entry: dict[str, object] = {"model": folder, "patchable": True, "error": ""}
        try:
            cls = get_attention_cls_from_config(cfg)
            original = cls.forward
            try:
                patch_self_attn_lora(cfg)
            finally:
                cls.forward = original
                if hasattr(cls, "_original_forward"):
                    delattr(cls, "_original_forward")
        except AssertionError as exc:
            entry.update(patchable=False, error=f"AssertionError: {exc}")
        except Exception as exc:  # reported, not judged, here
            entry.update(patchable=False, error=f"{type(exc).__name__}: {exc}"[:300])
        results.append(entry)
    print(json.dumps({"results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
