"""The Unsloth script: ``python train_unsloth.py`` on one GPU."""

from __future__ import annotations

from ftguide import versions
from ftguide.targets import Target
from ftguide.targets.peft import SCRIPT_KEYS

TARGET = Target(
    name="unsloth",
    summary="Unsloth script (python train_unsloth.py, one GPU)",
    template="unsloth.py.j2",
    file_name="train_unsloth.py",
    versions=versions.TARGET_VERSIONS["unsloth"],
    memory_path="unsloth",
    # Unsloth's trainer wrapper takes the TRL keywords the PEFT script uses.
    key_map=SCRIPT_KEYS,
    scheduler_names={"constant_with_warmup": "constant"},
    # No sharding: Unsloth's open-source release trains on one GPU.
    levers=("checkpointing", "micro_batch", "four_bit", "shorter_sequence", "fewer_targets"),
    max_gpus=1,
)
