"""The closed sets of values ftguide's models and flags take, as plain ``Literal`` types.

Kept apart from :mod:`ftguide.models` so that the command line can build its choices without importing
pydantic (the CLI starts faster, and decides itself when pydantic loads).
"""

from __future__ import annotations

from typing import Literal

Quantization = Literal["4bit", "8bit", "none"]
Precision = Literal["bf16", "fp16"]
Scheduler = Literal["cosine", "linear", "constant", "cosine_with_restarts"]
Framework = Literal["peft", "axolotl", "unsloth"]
AlphaPattern = Literal["conservative", "standard", "aggressive"]
Task = Literal["style", "standard", "complex", "domain", "near-full"]
DatasetFormat = Literal["alpaca", "messages", "prompt_completion", "text", "sharegpt"]
Severity = Literal["info", "warning", "error"]
Distributed = Literal["none", "ddp", "fsdp", "zero2", "zero3"]
TrainOn = Literal["responses", "all"]
Optimizer = Literal[
    "adamw_torch",
    "adamw_torch_fused",
    "adamw_8bit",
    "paged_adamw_8bit",
    "paged_adamw_32bit",
]
