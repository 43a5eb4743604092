"""Axolotl: one YAML for ``axolotl train``, validated against Axolotl's own schema."""

from __future__ import annotations

from ftguide import versions
from ftguide.targets import Target


def _launch(main: str, gpus: int, args: str) -> str:
    return f"axolotl train {main}" + (f" --launcher torchrun -- --nproc_per_node={gpus}" if gpus > 1 else "")


TARGET = Target(
    name="axolotl",
    summary="Axolotl YAML (axolotl train)",
    template="axolotl.yaml.j2",
    file_name="axolotl.yaml",
    versions=versions.TARGET_VERSIONS["axolotl"],
    memory_path="axolotl",
    key_map={
        "base_model": "base_model",
        "learning_rate": "learning_rate",
        "num_epochs": "num_epochs",
        "batch_size": "micro_batch_size",
        "gradient_accumulation_steps": "gradient_accumulation_steps",
        "lora_r": "lora_r",
        "lora_alpha": "lora_alpha",
        "lora_dropout": "lora_dropout",
        "target_modules": "lora_target_modules",
        "warmup_ratio": "warmup_ratio",
        "lr_scheduler": "lr_scheduler",
        "max_seq_length": "sequence_len",
        "gradient_checkpointing": "gradient_checkpointing",
        "optimizer": "optimizer",
        "early_stopping_patience": "early_stopping_patience",
        "output_dir": "output_dir",
        "seed": "seed",
        "val_set_size": "val_set_size",
        "eval_steps": "eval_steps",
        "weight_decay": "weight_decay",
        "max_grad_norm": "max_grad_norm",
        "logging_steps": "logging_steps",
        "attn_implementation": "attn_implementation",
        "chat_template": "chat_template",
    },
    # embeddings_upcast is rendered as its negation, embeddings_skip_upcast (only in quantized runs), and
    # chunked_cross_entropy only when on: both are checked by render's parse-back, not through this map.
    # Axolotl spells some optimizers its own way; both names reach the same transformers optimizer.
    optimizer_names={"adamw_8bit": "adamw_bnb_8bit"},
    scheduler_names={"constant_with_warmup": "constant"},
    # Cheapest first: the chunked loss and keeping frozen weights in 16-bit cost nothing at all (the latter
    # before and after 4-bit is chosen).  Only Axolotl holds the full logits, so only it has the chunked loss.
    levers=(
        "chunked_loss",
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
