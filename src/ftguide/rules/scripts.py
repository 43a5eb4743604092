"""Training scripts read with ``ast``: arguments the pinned libraries no longer take, and ones that exclude each other.

A script is judged against the stack it runs on: a script that imports ``unsloth`` goes through Unsloth's
trainer wrapper, which still accepts ``SFTTrainer(tokenizer=, dataset_text_field=, max_seq_length=,
packing=)`` and moves them where TRL wants them (``unsloth/trainer.py``, ``_backwards_compatible_trainer``);
any other script is held to the pinned transformers / TRL releases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftguide.models import Finding
from ftguide.rules import rule

# Arguments the pinned libraries removed: (call group, keyword) -> (replacement, why).
REMOVED: dict[tuple[str, str], tuple[str | None, str]] = {
    ("args", "warmup_ratio"): ("warmup_steps", "removed in transformers 5.17; a float < 1 in warmup_steps is a ratio"),
    ("args", "evaluation_strategy"): ("eval_strategy", "removed in transformers 4.46+"),
    ("args", "no_cuda"): ("use_cpu", "removed in transformers 5"),
    ("args", "overwrite_output_dir"): (None, "removed in transformers 5"),
    ("args", "logging_dir"): (None, "removed in transformers 5.17 (set TENSORBOARD_LOGGING_DIR)"),
    ("args", "save_safetensors"): (None, "removed in transformers 5"),
    ("args", "group_by_length"): (None, "removed in transformers 5 (train_sampling_strategy='group_by_length')"),
    ("args", "max_seq_length"): ("max_length", "SFTConfig renamed it max_length (TRL 0.16) and removed it (0.20)"),
    ("trainer", "tokenizer"): ("processing_class", "SFTTrainer takes processing_class since TRL 0.12"),
    ("trainer", "max_seq_length"): (None, "not an SFTTrainer argument since TRL 0.20: SFTConfig(max_length=...)"),
    ("trainer", "dataset_text_field"): (None, "not an SFTTrainer argument in TRL 1.x: SFTConfig(dataset_text_field=)"),
    ("trainer", "packing"): (None, "not an SFTTrainer argument in TRL 1.x: SFTConfig(packing=...)"),
    ("load", "load_in_4bit"): (None, "removed in transformers 5: quantization_config=BitsAndBytesConfig(...)"),
    ("load", "load_in_8bit"): (None, "removed in transformers 5: quantization_config=BitsAndBytesConfig(...)"),
    ("load", "use_auth_token"): ("token", "removed in transformers 5"),
}


#: What Unsloth's trainer wrapper accepts on SFTTrainer and routes itself (the pinned unsloth release).
UNSLOTH_TRAINER_ACCEPTS = frozenset({"tokenizer", "dataset_text_field", "max_seq_length", "packing"})


@rule("PY001", "removed-argument", order=1100, kind="script", fields=(), severity="error")
def removed_argument(
    call: str, group: str, keyword: str, value: Any, line: int, *, unsloth: bool = False
) -> Iterator[Finding]:
    """A keyword argument the pinned transformers / TRL releases removed: the script fails at that call.

    Why:
    transformers 5 and TRL 1.x dropped or moved many arguments that older tutorials still use
    (`evaluation_strategy`, `SFTTrainer(tokenizer=...)`, `from_pretrained(load_in_4bit=True)`); they now raise
    a TypeError when the script starts, or are ignored.

    In a script that imports `unsloth`, Unsloth's trainer wrapper still takes `tokenizer=`,
    `dataset_text_field=`, `max_seq_length=` and `packing=` on `SFTTrainer`, so those are not reported there.

    Example:
    `SFTTrainer(tokenizer=tok)` -> `SFTTrainer(processing_class=tok)`.
    """
    from ftguide.rules import report

    if unsloth and group == "trainer" and keyword in UNSLOTH_TRAINER_ACCEPTS:
        return
    removed = REMOVED.get((group, keyword))
    if removed is not None:
        yield report("PY001", f"{call}({keyword}=)", value, removed[0], f"line {line}: {keyword}= {removed[1]}")


#: Keyword pairs a call refuses when both are literally True: (call group, a, b) -> why.
EXCLUSIVE: dict[tuple[str, str, str], str] = {
    ("args", "fp16", "bf16"): "TrainingArguments raises ValueError: fp16 and bf16 are two mixed-precision modes",
    ("bnb", "load_in_4bit", "load_in_8bit"): "BitsAndBytesConfig raises ValueError: a model loads in 4-bit or 8-bit",
}


@rule("PY002", "exclusive-arguments", order=1110, kind="script", fields=(), severity="error")
def exclusive_arguments(call: str, group: str, literals: dict[str, Any], line: int) -> Iterator[Finding]:
    """Two keyword arguments the call refuses together, such as `fp16=True` with `bf16=True`.

    Why:
    `TrainingArguments` (and TRL's configs built on it) accepts one mixed-precision mode and raises a
    ValueError when the script sets both; `BitsAndBytesConfig` loads 4-bit or 8-bit, not both. The script dies
    before the first step. Only literal `True` values are judged (`bf16=is_bfloat16_supported()` is decided at
    run time and cannot clash).

    Example:
    `TrainingArguments(fp16=True, bf16=True)` -> keep the one the GPU supports (bf16 on Ampere and newer).
    """
    from ftguide.rules import report

    for (where, a, b), why in EXCLUSIVE.items():
        if group == where and literals.get(a) is True and literals.get(b) is True:
            yield report("PY002", f"{call}({b}=)", True, None, f"line {line}: {a}=True with {b}=True: {why}")
