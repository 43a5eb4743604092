"""What each target is: the file ftguide writes for it and everything that file depends on.

One module per target (``axolotl``, ``peft``, ``unsloth``) defines a :class:`Target`: its template, the pinned
library versions the file is written for, the memory path its training takes, the one key map between profile
fields and the file's own keys (render's parse-back and ``check`` both read it), its optimizer and scheduler
names, its launch command and the memory levers the fitter may pull for it.  Adding a target is one module
here plus one template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from ftguide.literals import Framework

TargetName = Literal["axolotl", "unsloth", "peft"]
TARGET_NAMES: tuple[TargetName, ...] = get_args(TargetName)

#: The levers :mod:`ftguide.fit` knows, in the order it pulls them (cheapest first).
Lever = Literal[
    "chunked_loss",
    "skip_upcast",
    "checkpointing",
    "micro_batch",
    "shard",
    "four_bit",
    "shorter_sequence",
    "fewer_targets",
]


@dataclass(frozen=True)
class Launch:
    """How a written bundle is started: the command, run from ``folder``."""

    command: str
    folder: str


@dataclass(frozen=True)
class Target:
    name: TargetName
    summary: str
    template: str
    """Template file under ``templates/``."""
    file_name: str
    """Default name of the main file written."""
    versions: Mapping[str, str]
    """Library -> version the rendered file is written for (from :mod:`ftguide.versions`)."""
    memory_path: Framework
    """Which training path the memory model prices for this target."""
    key_map: Mapping[str, str]
    """Profile field -> the key (or keyword argument) that carries it in the target's own files."""
    optimizer_names: Mapping[str, str] = field(default_factory=dict)
    """Profile optimizer -> the target's spelling, where it differs."""
    scheduler_names: Mapping[str, str] = field(default_factory=dict)
    """Target scheduler spelling -> profile scheduler, where it differs (read side)."""
    levers: tuple[Lever, ...] = ()
    """Memory levers the fitter may pull for this target, in order."""
    max_gpus: int | None = None
    """The most GPUs the target's file can train on (None: any)."""
    launch: Callable[[str, int, str], str] = field(default=lambda main, gpus, args: f"python {main} {args}")
    """(main file name, number of GPUs, data arguments) -> the command that starts the run."""

    def optimizer(self, profile_name: str) -> str:
        return self.optimizer_names.get(profile_name, profile_name)

    def profile_optimizer(self, target_name: str) -> str:
        """The profile's name for an optimizer spelled the target's way."""
        for ours, theirs in self.optimizer_names.items():
            if theirs == target_name:
                return ours
        return target_name

    @property
    def reverse_key_map(self) -> dict[str, str]:
        """Target key -> profile field."""
        return {key: name for name, key in self.key_map.items()}


def get_target(name: str) -> Target:
    """The target called ``name``; raises ``KeyError`` for an unknown one (the CLI's choices prevent it)."""
    from ftguide.targets import axolotl, peft, unsloth

    targets: dict[str, Target] = {t.name: t for t in (axolotl.TARGET, peft.TARGET, unsloth.TARGET)}
    return targets[name]


def all_targets() -> list[Target]:
    return [get_target(name) for name in TARGET_NAMES]
