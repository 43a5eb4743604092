"""The library versions each rendered file targets: the one place they are pinned.

The test environments (``make toolenvs``) install exactly these, the rendered files state them in their
header, and the README lists them. Change a version here and the whole verification suite follows it.
"""

from __future__ import annotations

#: Axolotl release whose config schema the Axolotl YAML is written for and validated against.
AXOLOTL = "0.19.0"

#: The stack of the Transformers + PEFT + TRL script: the newest releases.  (TRL 1.15's SFTTrainer cannot
#: train without Triton, i.e. not on a CPU; 1.16 can, which is what lets CI train the script for real.)
TRANSFORMERS = "5.23.0"
PEFT = "0.21.2"
TRL = "1.16.0"
DATASETS = "5.2.0"
ACCELERATE = "1.15.0"
BITSANDBYTES = "0.50.2"

#: The stack of the Unsloth script.  Unsloth 2026.10.9 caps transformers at 5.17, TRL at 1.15 and datasets
#: below 5, so its script targets those.
AXOLOTL_TRANSFORMERS = "5.16.1"
"""What Axolotl 0.19.0 requires (its own pin, installed with it; ci/toolenvs.sh)."""

UNSLOTH = "2026.10.9"
UNSLOTH_ZOO = "2026.10.9"
UNSLOTH_TRANSFORMERS = "5.17.0"
UNSLOTH_TRL = "1.15.0"
UNSLOTH_DATASETS = "4.8.4"

#: CPU build of torch used by the verification environments (the wheel this machine keeps on disk).
TORCH_CPU = "2.13.0"

TARGET_VERSIONS: dict[str, dict[str, str]] = {
    "axolotl": {"axolotl": AXOLOTL},
    "peft": {
        "transformers": TRANSFORMERS,
        "peft": PEFT,
        "trl": TRL,
        "datasets": DATASETS,
        "accelerate": ACCELERATE,
        "bitsandbytes": BITSANDBYTES,
    },
    "unsloth": {
        "unsloth": UNSLOTH,
        "unsloth_zoo": UNSLOTH_ZOO,
        "transformers": UNSLOTH_TRANSFORMERS,
        "trl": UNSLOTH_TRL,
        "peft": PEFT,
        "datasets": UNSLOTH_DATASETS,
        "bitsandbytes": BITSANDBYTES,
    },
}
