"""The Transformers + PEFT + TRL script: ``python train.py`` (or ``accelerate launch`` on several GPUs)."""

from __future__ import annotations

from ftguide import versions
from ftguide.targets import Target

#: Profile field -> keyword argument of TrainingArguments / SFTConfig / LoraConfig that carries it.
SCRIPT_KEYS = {
    "learning_rate": "learning_rate",
    "num_epochs": "num_train_epochs",
    "batch_size": "per_device_train_batch_size",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "lora_r": "r",
    "lora_alpha": "lora_alpha",
    "lora_dropout": "lora_dropout",
    "target_modules": "target_modules",
    "warmup_ratio": "warmup_ratio",
    "lr_scheduler": "lr_scheduler_type",
    "max_seq_length": "max_length",
    "gradient_checkpointing": "gradient_checkpointing",
    "optimizer": "optim",
    "eval_steps": "eval_steps",
    "weight_decay": "weight_decay",
    "max_grad_norm": "max_grad_norm",
    "seed": "seed",
    "logging_steps": "logging_steps",
    "attn_implementation": "attn_implementation",
}


def _launch(main: str, gpus: int, args: str) -> str:
    if gpus == 1:
        return f"python {main} {args}"
    return f"accelerate launch --config_file accelerate_config.yaml {main} {args}"


TARGET = Target(
    name="peft",
    summary="Transformers + PEFT + TRL script (python train.py)",
    template="peft.py.j2",
    file_name="train.py",
    versions=versions.TARGET_VERSIONS["peft"],
    memory_path="peft",
    key_map=SCRIPT_KEYS,
    scheduler_names={"constant_with_warmup": "constant"},
    # Cheapest first: keeping frozen weights in 16-bit costs nothing at all, before and after 4-bit is chosen.
    levers=(
        "skip_upcast",
        "checkpointing",
        "micro_batch",
        "shard",
        "four_bit",
        "skip_upcast",
        "shorter_sequence",
        "fewer_targets",
    ),
    launch=_launch,
)
